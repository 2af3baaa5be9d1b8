"""The line numbers of the loaded events: ``_event_rows.line``, from each row's number.

A row numbered n by the rows read is on line n of its file unless some lines before it gave no
row (rejected by the scan, blank, a quoted CSV line break: ``readers.linebook``). Those are
known for certain only after a pass over the file, made when a line number is first wanted
(``settle``); until then the lines are NULL, never a guess. Once settled, the rows of a file with
such lines get their line stored beside them (``_line``), worked out by one ASOF join with
``_line_skips`` (one row per distinct count of rows before a skipped line): a sort-merge,
however many lines were skipped, and no join left in the view for every query to pay (a stage
that is a view over the files, read again by every query, joins instead). A list of
the lines in a connection variable had been copied for every row that read it: 10M skipped
lines took 15 s to set and 35 s to number 1,000 rows.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from toolkit.analytics.duck.readers.linebook import LineBook
from toolkit.analytics.duck.readers.stage import STAGE

SKIPS = "_line_skips"
"""Per file id, for each distinct ``b``, the rows read before some skipped line: ``k``, how many
skipped lines have at most ``b`` rows before them. A row numbered n is on line n + k, with the
``k`` of the greatest ``b`` below n (on line n when there is none)."""
STORED = "_line"
"""The stage column holding a shifted row's line (NULL: its number is its line)."""
NUMBER = "_number"
"""A view's column of each row's number, before the join that makes it a line."""


@dataclass(frozen=True)
class RowsSql:
    """The pieces of ``_event_rows``: its columns but the line (SQL by name), each row's number
    (its own, else its ordinal: SQL), and the relation and condition it reads."""

    columns: dict[str, str]
    number: str
    relation: str
    where: str
    file_id: str
    table: bool  # the stage is a table (copied), which can hold each row's line


@dataclass(frozen=True)
class LineState:
    """How ``_event_rows`` numbers lines: ``pending``, NULL until settled; else by each row's
    number, past the lines in ``SKIPS`` if ``shifted`` (the line a row of a table carries in
    ``STORED``; a view, which reads its files for every query anyway, joins ``SKIPS``); the
    files of ``unknown`` ids have NULL lines (they are no longer what was loaded)."""

    pending: bool = False
    shifted: bool = False
    unknown: tuple[int, ...] = ()


PLAIN = LineState()
PENDING = LineState(pending=True)

_PENDING: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, tuple[LineBook, RowsSql]] = (
    weakref.WeakKeyDictionary()
)
"""Each connection's last load whose line numbers wait for ``settle``."""


def rows_view(con: duckdb.DuckDBPyConnection, rows: RowsSql, state: LineState) -> None:
    """(Re)create ``_event_rows``, its lines numbered as ``state`` says; ``events`` reads it by
    name, so it follows."""
    joined = state.shifted and not rows.table
    line = f"e.{NUMBER} + coalesce(s.k, 0)" if joined else rows.number
    if state.shifted and rows.table:
        line = f"coalesce({STORED}, {line})"
    if state.unknown:
        file_id = "e.file_id" if joined else rows.file_id
        unknown = f"list_contains({list(state.unknown)}::INTEGER[], {file_id})"
        line = f"CASE WHEN {unknown} THEN NULL ELSE {line} END"
    if state.pending:
        line = "CAST(NULL AS BIGINT)"
    columns = ", ".join(f"{sql} AS {c}" for c, sql in rows.columns.items())
    if joined:
        body = (
            f"SELECT e.* EXCLUDE ({NUMBER}), {line} AS line FROM ("
            f"SELECT {columns}, {rows.number} AS {NUMBER} FROM {rows.relation} {rows.where}) e "
            f"ASOF LEFT JOIN {SKIPS} s ON e.file_id = s.file_id AND e.{NUMBER} > s.b"
        )
    else:
        body = f"SELECT {columns}, {line} AS line FROM {rows.relation} {rows.where}"
    con.execute(f"CREATE OR REPLACE TEMP VIEW _event_rows AS {body}")


def pend(con: duckdb.DuckDBPyConnection, book: LineBook, rows: RowsSql) -> None:
    """Leave the lines NULL until ``settle``, which will number them by ``book``."""
    rows_view(con, rows, PENDING)
    _PENDING[con] = (book, rows)


def settle(con: duckdb.DuckDBPyConnection) -> None:
    """Make the loaded events' line numbers (their ``source``) known and exact: the pass over
    the files (``LineBook.read_before``), then each row past the lines before it that gave no
    row. Done before a query that reads them, so a run that only detects never reads its files
    twice; nothing to do after a load whose every line gave a row."""
    pending = _PENDING.pop(con, None)
    if pending is None:
        return
    book, rows = pending
    before = book.read_before()
    unknown = tuple(i for i, b in enumerate(before) if b is None)
    if not _skips_table(con, before):
        rows_view(con, rows, LineState(unknown=unknown))
        return
    if rows.table:
        con.execute(f"ALTER TABLE {STAGE} ADD COLUMN IF NOT EXISTS {STORED} BIGINT")
        con.execute(
            f"""UPDATE {STAGE} SET {STORED} = x.line FROM (
                SELECT e.rid, e.n + s.k AS line FROM (
                    SELECT rowid AS rid, {rows.file_id} AS file_id, {rows.number} AS n
                    FROM {STAGE}
                ) e ASOF JOIN {SKIPS} s ON e.file_id = s.file_id AND e.n > s.b
            ) x WHERE {STAGE}.rowid = x.rid"""
        )
    rows_view(con, rows, LineState(shifted=True, unknown=unknown))


def _skips_table(con: duckdb.DuckDBPyConnection, before: Sequence[list[int] | None]) -> bool:
    """Fill ``SKIPS`` from each file's ``before``; whether any line was skipped."""
    rows = [(i, b, k) for i, found in enumerate(before) if found for b, k in _last(found)]
    if not rows:
        return False
    # DuckDB reads numpy arrays at once (a list of 10M values took seconds to pass in)
    import numpy as np  # 50 ms to import: only when a line was skipped

    ids, counts, shifts = (np.fromiter((r[n] for r in rows), np.int64, len(rows)) for n in range(3))
    table = {"file_id": ids.astype(np.int32), "b": counts, "k": shifts}
    # DuckDB refuses a registration while a result is read only in part (a detection's
    # fetchone): a query read to its end closes it
    con.execute("SELECT 1").fetchall()
    con.register("_keyvigil_line_skips", table)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {SKIPS} AS SELECT * FROM _keyvigil_line_skips")
    finally:
        con.unregister("_keyvigil_line_skips")
    return True


def _last(found: list[int]) -> list[tuple[int, int]]:
    """Each distinct value of a sorted list with how many values are at most it."""
    return [(b, k) for k, b in enumerate(found, 1) if k == len(found) or found[k] != b]
