"""Load access logs into DuckDB as the normalised ``events`` relation (DESIGN.md "Access event")."""

from __future__ import annotations

import glob
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import duckdb

from toolkit.analytics import geoip
from toolkit.errors import IngestError
from toolkit.ingest.logs import LOG_READERS, sniff
from toolkit.ingest.logs.base import BadRecord, LogFile, LogGroup, read_head

# The contract: the columns of ``events``, in order, with their DuckDB types.
EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("ts", "TIMESTAMPTZ"),
    ("key_id", "VARCHAR"),
    ("principal", "VARCHAR"),
    ("source_ip", "VARCHAR"),
    ("country", "VARCHAR"),
    ("user_agent", "VARCHAR"),
    ("action", "VARCHAR"),
    ("outcome", "VARCHAR"),
    ("error_code", "VARCHAR"),
    ("source", "VARCHAR"),
    ("key_kind", "VARCHAR"),  # extra: 'long-term' (AKIA...), 'temporary' (ASIA...), else NULL
)
STAGE = "_events"
EMPTY_STATS = (0, 0, 0, 0, None, None, 0)
MAX_LISTED = 100  # bad records listed (with file:line) in a LoadReport; all are counted


@dataclass(frozen=True)
class FileReport:
    """What was read from one file."""

    path: str
    log_format: str  # reader name and variant, e.g. 'house/jsonl', 'cloudtrail/records'
    events: int
    skipped: int
    min_ts: datetime | None
    max_ts: datetime | None
    ignored: int = 0  # well-formed records that are not access events (duplicates, Insights)


@dataclass(frozen=True)
class LoadReport:
    """The outcome of ``load_events``: per-file formats and counts, skipped records, time span."""

    files: tuple[FileReport, ...]
    events: int
    skipped: int
    bad_records: tuple[BadRecord, ...]  # the first MAX_LISTED skipped records, with file:line
    min_ts: datetime | None
    max_ts: datetime | None
    ignored: int = 0  # records read but not access events (see FileReport.ignored)
    unparsed_ips: int = 0  # events whose source_ip looks like an address but is not valid
    unparsed_ip_examples: tuple[str, ...] = field(default=())  # a few of those values
    non_ip_sources: int = 0  # events whose source is a name ('ec2.amazonaws.com'), no country

    @property
    def formats(self) -> dict[str, str]:
        """Path -> detected format."""
        return {f.path: f.log_format for f in self.files}


def connect(
    memory_limit: str | None = None, temp_dir: Path | None = None, threads: int | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection in UTC, with optional memory limit, spill dir and threads."""
    config: dict[str, str | int | bool] = {}
    if memory_limit:
        config["memory_limit"] = memory_limit
    if temp_dir is not None:
        config["temp_directory"] = str(temp_dir)
    if threads:
        config["threads"] = threads
    con = duckdb.connect(":memory:", config=config)
    con.execute("SET TimeZone = 'UTC'")
    return con


def expand_paths(paths: Sequence[str | Path]) -> list[Path]:
    """Files named by paths, globs and directories (recursively), in a stable order."""
    found: list[Path] = []
    for item in paths:
        text = str(item)
        matches = sorted(glob.glob(text, recursive=True)) if glob.has_magic(text) else [text]
        if not matches:
            raise IngestError(text, "no file matches this pattern")
        for match in matches:
            path = Path(match)
            if path.is_dir():
                found.extend(p for p in sorted(path.rglob("*")) if _is_log_file(p))
            elif path.is_file():
                found.append(path)
            else:
                raise IngestError(path, "no such file or directory")
    if not found:
        raise IngestError(", ".join(str(p) for p in paths), "no log files found")
    return list(dict.fromkeys(found))


def _is_log_file(path: Path) -> bool:
    """Files a directory contributes: not hidden, not licence/readme/digest files."""
    name = path.name.lower()
    skip = name.startswith((".", "license", "readme", "sources")) or "digest" in str(path).lower()
    return path.is_file() and not skip and not name.endswith((".md", ".txt"))


def sniff_files(files: Sequence[Path], log_format: str | None) -> list[tuple[str, str, LogFile]]:
    """(reader, variant, file) for every file, by content or as forced."""
    found = []
    for path in files:
        log = read_head(path)
        found.append((*sniff(log, log_format), log))
    return found


def plan_groups(
    sniffed: Sequence[tuple[str, str, LogFile]], assume_tz: str | None = None
) -> list[LogGroup]:
    """Group files by (reader, variant, compression); files get consecutive ids."""
    by_key: dict[tuple[str, str, bool], list[LogFile]] = {}
    for name, variant, log in sniffed:
        by_key.setdefault((name, variant, log.gzipped), []).append(log)
    groups, next_id = [], 0
    for (name, variant, _gz), logs in by_key.items():
        groups.append(LogGroup(name, variant, tuple(logs), next_id, assume_tz))
        next_id += len(logs)
    return groups


def load_events(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[str | Path],
    log_format: str | None = None,
    skip_bad_records: bool = False,
    materialize: bool = True,
    *,
    assume_tz: str | None = None,
) -> LoadReport:
    """Read logs into ``events`` (a view over ``_events``); raise IngestError on bad input."""
    sniffed = sniffed_all = sniff_files(expand_paths(paths), log_format)
    broken: list[BadRecord] = []
    while True:
        groups = plan_groups(sniffed, assume_tz)
        try:
            _stage(con, groups, materialize)
            break
        except _Unreadable as exc:
            if not skip_bad_records or exc.path is None:
                raise IngestError(exc.path or exc.where, exc.reason) from None
            broken.append(BadRecord(exc.path, None, None, exc.reason))
            sniffed = [s for s in sniffed if s[2].path != exc.path]
            if not sniffed:
                raise IngestError(exc.path, exc.reason) from None
    logs = [log for g in groups for log in g.files]
    stats = _file_stats(con, logs, materialize)
    bad = broken + _bad_records(con, groups, stats, materialize)
    total_bad = sum(s[3] for s in stats.values())
    if total_bad and not skip_bad_records:
        more = f" (and {total_bad - 1} more bad records)" if total_bad > 1 else ""
        first = bad[0]
        raise IngestError(first.path, first.reason + more, line=first.line, field=first.field)
    ips = geoip.fill_countries(con, STAGE, materialize)
    filtered = total_bad > 0 or any(s[6] for s in stats.values())
    _create_view(con, logs, stats, filtered=filtered, materialize=materialize)
    report = _report(groups, stats, bad, ips)
    for item in broken:  # whole files DuckDB could not parse, skipped as one bad record each
        fmt = next(f"{n}/{v}" for n, v, log in sniffed_all if log.path == item.path)
        report = replace(
            report,
            files=(*report.files, FileReport(item.path, fmt, 0, 1, None, None)),
            skipped=report.skipped + 1,
        )
    return report


class _Unreadable(Exception):
    """DuckDB could not parse a file as a whole (only for whole-document formats)."""

    def __init__(self, path: str | None, where: str, reason: str) -> None:
        super().__init__(reason)
        self.path, self.where, self.reason = path, where, reason


def _stage(con: duckdb.DuckDBPyConnection, groups: Sequence[LogGroup], materialize: bool) -> None:
    """Create ``_events`` from every group's reader SQL; mark repeated deliveries of an event."""
    union = "\nUNION ALL\n".join(
        f"SELECT * FROM ({LOG_READERS[g.reader].select_sql(con, g)})" for g in groups
    )
    kind = "TEMP TABLE" if materialize else "TEMP VIEW"
    logs = [log for g in groups for log in g.files]
    _run(con, f"CREATE OR REPLACE {kind} {STAGE} AS {union}", logs)
    if materialize:
        con.execute(
            f"""UPDATE {STAGE} SET skip = 'duplicate delivery of an eventID already read'
            WHERE rowid IN (SELECT rowid FROM (
                SELECT rowid, row_number() OVER (PARTITION BY event_id ORDER BY file_id, rec) AS n
                FROM {STAGE} WHERE event_id IS NOT NULL AND bad IS NULL AND skip IS NULL)
              WHERE n > 1)"""
        )


def _run(con: duckdb.DuckDBPyConnection, sql: str, logs: Sequence[LogFile]) -> None:
    """Execute reader SQL, turning DuckDB's errors into an IngestError without quoted values."""
    try:
        con.execute(sql)
    except duckdb.Error as exc:
        message = re.sub(r"'[^']*'", "'...'", str(exc).splitlines()[0])
        named = re.search(r'in file "([^"]+)"', message)
        path = next((log.path for log in logs if named and log.path == named.group(1)), None)
        where = logs[0].path if len(logs) == 1 else f"{logs[0].path} (and {len(logs) - 1} more)"
        raise _Unreadable(path, where, f"cannot be read: {message}") from None


def _file_stats(
    con: duckdb.DuckDBPyConnection, logs: Sequence[LogFile], materialize: bool
) -> dict[int, tuple[int, int, int, int, datetime | None, datetime | None]]:
    """Per file_id: (first rowid, rows, events, bad, min ts, max ts, ignored), one aggregate."""
    first = "min(rowid)" if materialize else "0"
    ok = "bad IS NULL AND skip IS NULL"
    rows = con.execute(
        f"""SELECT file_id, {first}, count(*), count(*) FILTER (WHERE {ok}), count(bad),
                   min(ts) FILTER (WHERE {ok}), max(ts) FILTER (WHERE {ok}),
                   count(skip) FILTER (WHERE bad IS NULL)
            FROM {STAGE} GROUP BY file_id"""
    ).fetchall()
    return {int(r[0]): (int(r[1]), *r[2:]) for r in rows}


def _bad_records(
    con: duckdb.DuckDBPyConnection,
    groups: Sequence[LogGroup],
    stats: dict[int, tuple],
    materialize: bool,
) -> list[BadRecord]:
    """The first MAX_LISTED bad records with exact file:line (a line pass only when needed)."""
    if not any(s[3] for s in stats.values()):
        return []
    ordinal = "rowid" if materialize else "NULL"
    rows = con.execute(
        f"""SELECT file_id, rec, {ordinal}, bad FROM {STAGE} WHERE bad IS NOT NULL
            ORDER BY file_id, coalesce(rec, {ordinal}) LIMIT {MAX_LISTED}"""
    ).fetchall()
    by_id = {g.first_id + i: (g, log) for g in groups for i, log in enumerate(g.files)}
    found: list[BadRecord] = []
    for file_id in dict.fromkeys(r[0] for r in rows):
        group, log = by_id[file_id]
        mine = [r for r in rows if r[0] == file_id]
        wanted = [r[2] - stats[file_id][0] + 1 for r in mine if r[1] is None and r[2] is not None]
        lines = LOG_READERS[group.reader].locate(con, log, wanted) if wanted else {}
        for _fid, rec, rowid, bad in mine:
            line = rec if rec is not None else lines.get(rowid - stats[file_id][0] + 1)
            fld, _sep, reason = bad.partition(": ")
            found.append(BadRecord(log.path, line, None if fld == "record" else fld, reason))
    return found


def _create_view(
    con: duckdb.DuckDBPyConnection,
    logs: Sequence[LogFile],
    stats: dict[int, tuple],
    filtered: bool,
    materialize: bool,
) -> None:
    """``events``: the contract's columns; ``source`` is built lazily from file id and ordinal."""
    paths = "[" + ", ".join("'" + log.path.replace("'", "''") + "'" for log in logs) + "]"
    bases = "[" + ", ".join(str(stats.get(i, (0,))[0]) for i in range(len(logs))) + "]"
    ordinal = f"rowid - {bases}[file_id + 1] + 1" if materialize else "NULL"
    where = "WHERE bad IS NULL AND skip IS NULL" if filtered else ""
    source = f"{paths}[file_id + 1] || coalesce(':' || coalesce(rec, {ordinal}), '')"
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW events AS
        SELECT ts, key_id, principal, source_ip, country, user_agent, action, outcome, error_code,
               {source} AS source,
               CASE WHEN starts_with(key_id, 'AKIA') THEN 'long-term'
                    WHEN starts_with(key_id, 'ASIA') THEN 'temporary' END AS key_kind
        FROM {geoip.enriched(STAGE, materialize)} {where}"""
    )


def _report(
    groups: Sequence[LogGroup],
    stats: dict[int, tuple],
    bad: Sequence[BadRecord],
    ips: geoip.IpSummary,
) -> LoadReport:
    """Assemble the LoadReport from the per-file statistics."""
    files = []
    for group in groups:
        for i, log in enumerate(group.files):
            _b, _n, good, skipped, lo, hi, ignored = stats.get(group.first_id + i, EMPTY_STATS)
            fmt = f"{group.reader}/{group.variant}"
            files.append(FileReport(log.path, fmt, good, skipped, lo, hi, ignored))
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
