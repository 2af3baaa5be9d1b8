"""Load access logs into DuckDB as the normalised ``events`` relation (DESIGN.md "Access event")."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from toolkit.analytics.duck import geoip, lines
from toolkit.analytics.duck.discover import expand_paths, plan_groups, sniff_files
from toolkit.analytics.duck.readers.accounting import FileStats, bad_records, file_stats
from toolkit.analytics.duck.readers.base import (
    OUTCOME_TYPE,
    BadRecord,
    LogFile,
    ensure_outcome_type,
)
from toolkit.analytics.duck.readers.files import Unreadable
from toolkit.analytics.duck.readers.stage import DETAIL_COLUMNS, STAGE, Stage
from toolkit.analytics.interface import FileReport, LoadReport
from toolkit.errors import IngestError, UsageError

# The contract: the columns of ``events``, in order, with their DuckDB types.
EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("ts", "TIMESTAMPTZ"),
    ("key_id", "VARCHAR"),
    ("principal", "VARCHAR"),
    ("source_ip", "VARCHAR"),
    ("country", "VARCHAR"),
    ("user_agent", "VARCHAR"),
    ("action", "VARCHAR"),
    ("outcome", OUTCOME_TYPE),  # ENUM of success/auth_failed/denied/error; compares as text
    ("error_code", "VARCHAR"),
    ("source", "VARCHAR"),
    ("key_kind", "VARCHAR"),  # extra: 'long-term' (AKIA...), 'temporary' (ASIA...), else NULL
    ("session_issuer", "VARCHAR"),  # extra: the role behind temporary credentials (CloudTrail)
    ("mfa_used", "BOOLEAN"),  # extra: MFA used at sign-in / for the session, where logged
    ("error_message", "VARCHAR"),  # extra: the log's own error text (CloudTrail errorMessage)
    ("request_id", "VARCHAR"),  # extra: the log's own request id, where it has one
)
EXTRA_COLUMNS = ("session_issuer", "mfa_used", "error_message", "request_id")
DETAILS_VARIABLE = "keyvigil_details"
"""A connection variable: true once ``events`` holds every column (see ``load_events``)."""
DAMAGED = "cannot be read to its end: "
"""How a damaged gzip stream's reason begins (``blank.read_failure`` says the rest)."""


def connect(
    memory_limit: str | None = None, temp_dir: Path | None = None, threads: int | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection in UTC, with optional memory limit, spill dir and threads.

    DuckDB's progress bar (it writes to stdout) is shown only on a terminal, so piped and
    ``--json`` output stays clean.
    """
    config: dict[str, str | bool | int | float | list[str]] = {}
    if memory_limit:
        config["memory_limit"] = memory_limit
    if temp_dir is not None:
        config["temp_directory"] = str(temp_dir)
    if threads:
        config["threads"] = threads
    con = duckdb.connect(":memory:", config=config)
    con.execute("SET TimeZone = 'UTC'")
    ensure_outcome_type(con)
    if not (sys.stdout.isatty() and sys.stderr.isatty()):
        con.execute("SET enable_progress_bar = false")
    return con


def load_events(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[str | Path],
    log_format: str | None = None,
    skip_bad_records: bool = False,
    materialize: bool | None = None,
    *,
    assume_tz: str | None = None,
    details: bool = True,
    settle: bool = True,
) -> LoadReport:
    """Read logs into ``events`` (a view over ``_events``); raise IngestError on bad input.

    ``_events`` is a table the files are copied into (``materialize=True``) or a view over the
    files themselves (``False``); by default (``None``) Parquet is queried where it is and
    every other format copied (text must be parsed once, and its row order is its line number).

    ``details=False`` leaves out the columns only a key's activity report shows (user agent,
    action, error code and texts: absent from ``events``), which detections and traces never
    read; a file whose bytes may hold a NUL is read in full all the same.

    ``settle=False`` leaves the blank lines of JSON Lines and CSV files unlooked for (a pass
    over their bytes): the line numbers are then NULL until ``lines.settle`` (the backend
    settles them before a trace, the one query that reads them).
    """
    unreadable: list[BadRecord] = []
    sniffed = sniff_files(expand_paths(paths), log_format, unreadable if skip_bad_records else None)
    left, dropped = sniffed, list(unreadable)
    while True:
        stage, broken = _stage(con, left, skip_bad_records, (materialize, details), assume_tz)
        stats = file_stats(con, stage)
        total_bad = sum(s.bad for s in stats.values()) + stage.rejected_count
        found = bad_records(con, stage, stats) if total_bad else []
        damaged = _damaged(stage, {record.path for record in stage.rejected + found})
        if not damaged or not skip_bad_records:
            break
        if len(damaged) == len(stage.logs):  # nothing would be left: as for one broken file
            raise IngestError(damaged[0].path, damaged[0].reason)
        # no record of a damaged stream can be trusted (a CRC tells that, not where): skip it
        dropped += broken + damaged
        gone = {record.path for record in broken + damaged}
        left = [s for s in left if s[2].path not in gone]
    broken = dropped + broken
    bad = broken + damaged + stage.rejected + found
    if total_bad and not skip_bad_records:
        more = f" (and {total_bad - 1} more bad records)" if total_bad > 1 else ""
        first = bad[0]
        raise first.error(more)
    ips = geoip.fill_countries(con, STAGE, stage.materialize, stored=stage.stored)
    filtered = total_bad > 0 or any(s.ignored for s in stats.values())
    _create_view(con, stage, stats, filtered, ips.looked_up)
    con.execute(f"SET VARIABLE {DETAILS_VARIABLE} = {str(stage.details).lower()}")
    if settle:
        lines.settle(con)
    return _report(stage, stats, bad, ips, sniffed, unreadable)


def _damaged(stage: Stage, bad: set[str]) -> list[BadRecord]:
    """The files with bad records whose gzip stream is damaged (DuckDB decompresses without
    checking the checksum, and reads on through the damage): the records made of it are bad
    records, and some may even parse."""
    damaged = []
    for file_id, log in enumerate(stage.logs):
        damage = stage.lines.checked(file_id).damage if log.path in bad else None
        if damage is not None:
            damaged.append(BadRecord(log.path, None, None, f"{DAMAGED}{damage}"))
    return damaged


def has_details(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the loaded ``events`` hold the detail columns (a full load, not a thin one)."""
    row = con.execute(f"SELECT getvariable('{DETAILS_VARIABLE}')").fetchone()
    return bool(row and row[0])


def _stage(
    con: duckdb.DuckDBPyConnection,
    sniffed: list[tuple[str, str, LogFile]],
    skip_bad_records: bool,
    shape: tuple[bool | None, bool],
    assume_tz: str | None,
) -> tuple[Stage, list[BadRecord]]:
    """Stage all files (``shape``: materialize, details); with skip_bad_records, drop files
    DuckDB cannot parse at all."""
    broken: list[BadRecord] = []
    if assume_tz:  # timestamps without a zone are read in the zone the user named
        try:
            con.execute("SET TimeZone = ?", [assume_tz])
        except duckdb.Error:
            raise UsageError(f"--assume-tz: unknown time zone {assume_tz!r}") from None
    while True:
        stage = Stage(plan_groups(sniffed, assume_tz), *shape)
        try:
            stage.create(con)
            return stage, broken
        except Unreadable as exc:
            if not skip_bad_records or exc.path is None or len(sniffed) == 1:
                raise IngestError(exc.path or exc.where, exc.reason) from None
            broken.append(BadRecord(exc.path, None, None, exc.reason))
            sniffed = [s for s in sniffed if s[2].path != exc.path]
        finally:
            con.execute("SET TimeZone = 'UTC'")


def _create_view(
    con: duckdb.DuckDBPyConnection,
    stage: Stage,
    stats: dict[int, FileStats],
    filtered: bool,
    looked_up: int,
) -> None:
    """``events``: the contract's columns; ``source`` is built lazily from file id and line.

    Underneath, ``_event_rows`` holds the same rows with the file id and line number instead of
    the ``source`` text, and ``event_source(file_id, line)`` makes the text: a query that needs
    the source of a few rows (a trace) joins first and makes the text for those rows only.
    After a thin load the detail columns are absent (asking for one is an error, not a NULL).
    The line numbers wait for ``lines.settle`` when some line may have given no row.
    """
    exprs, number = _row_exprs(stage, stats)
    relation = geoip.enriched(STAGE, stage.materialize, looked_up)
    where = f"WHERE {stage.usable_sql()}" if filtered else ""
    rows = lines.RowsSql(exprs, number, relation, where, stage.col("file_id"), stage.materialize)
    if stage.lines.may_skip():
        lines.pend(con, stage.lines, rows)
    else:
        lines.rows_view(con, rows, lines.PLAIN)
    paths = "[" + ", ".join("'" + log.path.replace("'", "''") + "'" for log in stage.logs) + "]"
    con.execute(
        "CREATE OR REPLACE TEMP MACRO event_source(file_id, line) AS "
        f"{paths}[file_id + 1] || coalesce(':' || line, '')"
    )
    listed = [
        "event_source(file_id, line) AS source" if c == "source" else c
        for c, _t in EVENT_COLUMNS
        if c in exprs or c == "source"
    ]
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW events AS SELECT {', '.join(listed)} FROM _event_rows"
    )


def _row_exprs(stage: Stage, stats: dict[int, FileStats]) -> tuple[dict[str, str], str]:
    """``_event_rows``' columns as SQL over the stage (events' columns but ``source``, then the
    file id), and the row's number (its own, else its ordinal in the file), which
    ``lines.rows_view`` turns into its line."""
    firsts = [
        str(stats[i].first_rowid - stage.line_offsets.get(i, 0) if i in stats else 0)
        for i in range(len(stage.logs))
    ]
    file_id = stage.col("file_id")
    ordinal = f"rowid - [{', '.join(firsts)}][{file_id} + 1] + 1" if stage.materialize else "NULL"
    exprs = {c: stage.col(c) for c, _t in EVENT_COLUMNS[:9]}
    if "status" in stage.stored:  # stored as a SMALLINT, turned into text only when read
        exprs["error_code"] = (
            f"coalesce({exprs['error_code']}, "
            "CASE WHEN status >= 400 THEN CAST(status AS VARCHAR) END)"
        )
    exprs["key_kind"] = """CASE WHEN starts_with(key_id, 'AKIA') THEN 'long-term'
        WHEN starts_with(key_id, 'ASIA') THEN 'temporary' END"""
    exprs |= {c: stage.col(c) for c in EXTRA_COLUMNS}
    if not stage.details:
        exprs = {c: sql for c, sql in exprs.items() if c not in DETAIL_COLUMNS}
    return exprs | {"file_id": file_id}, f"coalesce({stage.col('rec')}, {ordinal})"


def _report(
    stage: Stage,
    stats: dict[int, FileStats],
    bad: Sequence[BadRecord],
    ips: geoip.IpSummary,
    sniffed: Sequence[tuple[str, str, LogFile]],
    unreadable: Sequence[BadRecord] = (),
) -> LoadReport:
    """Assemble the LoadReport from the per-file statistics."""
    files = []
    for group in stage.groups:
        for i, log in enumerate(group.files):
            st = stats.get(group.first_id + i, FileStats(0, 0, 0, 0, None, None))
            fmt = f"{group.reader}/{group.variant}"
            skipped = st.bad + stage.rejected_by_path.get(log.path, 0)
            files.append(
                FileReport(log.path, fmt, st.events, skipped, st.min_ts, st.max_ts, st.ignored)
            )
    staged = {log.path for log in stage.logs}
    for name, variant, log in sniffed:  # whole files DuckDB could not parse, skipped
        if log.path not in staged:
            files.append(FileReport(log.path, f"{name}/{variant}", 0, 1, None, None))
    for record in unreadable:  # not regular files (FIFOs, broken links), skipped
        files.append(FileReport(record.path, "unreadable", 0, 1, None, None))
    lows = [f.min_ts for f in files if f.min_ts is not None]
    highs = [f.max_ts for f in files if f.max_ts is not None]
    return LoadReport(
        files=tuple(files),
        events=sum(f.events for f in files),
        skipped=sum(f.skipped for f in files),
        bad_records=tuple(bad),
        min_ts=min(lows, default=None),
        max_ts=max(highs, default=None),
        ignored=sum(f.ignored for f in files),
        unparsed_ips=ips.unparsed,
        unparsed_ip_examples=ips.examples,
        non_ip_sources=ips.non_ip,
    )
