"""What a staged load holds, file by file: rows, bad and ignored rows, time span; and where the
first bad records are (file and line)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from toolkit.analytics.duck.readers import LOG_READERS
from toolkit.analytics.duck.readers.base import BadRecord, position_unit
from toolkit.analytics.duck.readers.linebook import shift
from toolkit.analytics.duck.readers.stage import MAX_LISTED, STAGE, Stage


@dataclass(frozen=True)
class FileStats:
    """One aggregate's worth of facts about one file's rows."""

    first_rowid: int
    events: int
    bad: int
    ignored: int
    min_ts: datetime | None
    max_ts: datetime | None


def file_stats(con: duckdb.DuckDBPyConnection, stage: Stage) -> dict[int, FileStats]:
    """Per file id: first rowid, events, bad and ignored rows, time span (one aggregate over a
    table, two over files in place: ``_totals``)."""
    if not {"file_id", "bad", "skip"} & stage.stored:  # one file, no reader-marked rows
        row = _totals(con, stage)
        if row[1] == row[2] == row[3]:  # no NULL ts or outcome: an unfiltered aggregate,
            # about ten times cheaper than the one with per-row conditions below
            return {0: FileStats(int(row[0]), row[1], 0, 0, row[4], row[5])} if row[1] else {}
    ok = stage.usable_sql()
    # the same rows as ``bad_sql() IS NOT NULL``, without building a reason per row
    own = "bad IS NOT NULL OR " if "bad" in stage.stored else ""
    bad = f"({own}ts IS NULL OR outcome IS NULL)"
    skip = stage.col("skip")
    rows = con.execute(
        f"""SELECT {stage.col("file_id")} AS f, {"min(rowid)" if stage.materialize else "0"},
               count(*) FILTER (WHERE {ok}), count(*) FILTER (WHERE {bad}),
               count(*) FILTER (WHERE NOT ({bad}) AND {skip} IS NOT NULL),
               min(ts) FILTER (WHERE {ok}), max(ts) FILTER (WHERE {ok})
        FROM {STAGE} GROUP BY f"""
    ).fetchall()
    return {int(r[0]): FileStats(int(r[1]), *r[2:]) for r in rows}


def _totals(con: duckdb.DuckDBPyConnection, stage: Stage) -> tuple[Any, ...]:
    """First rowid, rows, rows with a time, rows with an outcome, first and last time.

    A table is read once. Files read in place are asked twice: the times alone come from
    Parquet's column statistics without reading a page, and the outcomes need only the
    status column; one query for both decoded every timestamp (0.25 s per 10M events).
    """
    if stage.materialize:
        return tuple(
            con.execute(
                f"SELECT min(rowid), count(*), count(ts), count(outcome), min(ts), max(ts) "
                f"FROM {STAGE}"
            ).fetchall()[0]
        )
    rows, timed, first, last = con.execute(
        f"SELECT count(*), count(ts), min(ts), max(ts) FROM {STAGE}"
    ).fetchall()[0]
    (judged,) = con.execute(f"SELECT count(outcome) FROM {STAGE}").fetchall()[0]
    return (0, rows, timed, judged, first, last)


def bad_records(
    con: duckdb.DuckDBPyConnection, stage: Stage, stats: dict[int, FileStats]
) -> list[BadRecord]:
    """The first MAX_LISTED bad records with exact file:line (a line pass only then)."""
    ordinal = "rowid" if stage.materialize else "NULL"
    rows = con.execute(
        f"""SELECT {stage.col("file_id")} AS f, {stage.col("rec")} AS r, {ordinal} AS o,
                   {stage.bad_sql()} AS why
            FROM {STAGE} WHERE ({stage.bad_sql()}) IS NOT NULL
            ORDER BY f, coalesce(r, o) LIMIT {MAX_LISTED}"""
    ).fetchall()
    by_id = {g.first_id + i: (g, log) for g in stage.groups for i, log in enumerate(g.files)}
    before = stage.lines.read_before()
    found: list[BadRecord] = []
    for file_id in dict.fromkeys(r[0] for r in rows):
        group, log = by_id[file_id]
        base = stats[file_id].first_rowid - stage.line_offsets.get(file_id, 0) - 1
        mine = [(rec, o, why) for f, rec, o, why in rows if f == file_id]
        # a row's own number, else its ordinal (plus a header), each then moved past the lines
        # read without a row before it (rejected by the scan, or blank)
        lines = [
            shift_or_none(
                rec if rec is not None else o - base if o is not None else None, before[file_id]
            )
            for rec, o, _w in mine
        ]
        by_ordinal = [n for n, (rec, _o, _w) in zip(lines, mine, strict=True) if rec is None]
        unparsed = LOG_READERS[group.reader].unparsed(log, [n for n in by_ordinal if n])
        for line, (rec, _o, why) in zip(lines, mine, strict=True):
            fld, _sep, reason = why.partition(": ")
            if rec is None and line in unparsed:
                fld, reason = "record", "not valid JSON"
            field = None if fld == "record" else fld
            found.append(BadRecord(log.path, line, field, reason, position_unit(group.variant)))
    return found


def shift_or_none(number: int | None, read_before: list[int] | None) -> int | None:
    """``linebook.shift``, for a row that may have no number (a file read in place) or a file
    whose lines are unknown (changed since the load)."""
    return None if number is None or read_before is None else shift(number, read_before)
