"""Stage every reader's SQL into one DuckDB table, ``_events``, and find what could not be read."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import duckdb

from toolkit.analytics.duck.readers import LOG_READERS
from toolkit.analytics.duck.readers.base import (
    MAX_LINE,
    STAGE_COLUMNS,
    BadRecord,
    LogFile,
    LogGroup,
    ReaderSql,
    ensure_outcome_type,
)
from toolkit.analytics.duck.readers.blank import BlankPlan, seen
from toolkit.analytics.duck.readers.files import (
    SerialOnly,
    Unreadable,
    duckdb_message,
    failed_file,
    may_hold_nul,
)
from toolkit.analytics.duck.readers.linebook import LineBook

STAGE = "_events"
# Text columns whose values reach findings and the database (checked for NUL characters).
TEXT_COLUMNS = (
    "key_id",
    "principal",
    "source_ip",
    "country",
    "user_agent",
    "action",
    "error_code",
    "session_issuer",
    "error_message",
    "request_id",
)
TEXT_VARIANTS = frozenset({"jsonl", "csv", "lines", "document"})
"""Reader variants whose files are JSON or CSV text (not Parquet, whose pages may compress)."""
DETAIL_COLUMNS = frozenset(
    {"user_agent", "action", "error_code", "status", "session_issuer", "mfa_used", "error_message"}
)
"""Columns no detection or trace reads, only a key's activity report: a thin load leaves them
out (each text column costs about a tenth of a JSON scan) unless a value may hold a NUL."""
MAX_LISTED = 100  # bad records listed with file:line; all of them are counted
# Why a row without its own ``bad`` reason cannot be used (NULL ts or outcome).
MISSING_SQL = """CASE WHEN ts IS NULL THEN 'ts: missing, or not a timestamp with a time zone'
    WHEN outcome IS NULL THEN 'outcome: missing, or not a known outcome or HTTP status' END"""


# DuckDB's reject reasons for a line read as text, in words about a JSON-lines record.
LINE_REJECTS = {
    "invalid encoding": "not UTF-8 text",
    "invalid unicode": "not UTF-8 text",
    "line size over maximum": f"record longer than {MAX_LINE // (1 << 20)} MiB",
    "too many columns": "not valid JSON (a raw control character)",
}


CSV_REJECTS = {"cast": "not a value of its column's type (a status is a number)"}
"""DuckDB's reject reasons for a CSV row that is well formed but for one value, in words
(DuckDB casts in its scan what the reader casts: ``status`` to a number)."""


COLUMNAR = frozenset({"parquet"})
"""Variants read by column with each row's position in its file: queried where they are."""


def in_place(groups: Sequence[LogGroup]) -> bool:
    """Whether every group is columnar: such files are read again by each query (a column
    scan, with each row's position in its file) instead of copied into a table first."""
    return bool(groups) and all(group.variant in COLUMNAR for group in groups)


class NeedsCopy(Exception):
    """Files that cannot be queried where they are: some record must be changed (a value with
    a NUL to mark bad, a repeated delivery to skip), which only a copy can hold."""


class Stage:
    """The staged rows of one load: which columns are stored, and SQL over them."""

    def __init__(
        self, groups: Sequence[LogGroup], materialize: bool | None, details: bool = True
    ) -> None:
        """A stage for these file groups, as a table (materialize) or a view (``None``: a view
        when every file is columnar, see ``in_place``); ``details=False`` leaves
        DETAIL_COLUMNS out of a table (a view reads only what is asked of it anyway)."""
        self.groups = list(groups)
        self.materialize = not in_place(self.groups) if materialize is None else materialize
        self.details = details or not self.materialize
        self.logs: list[LogFile] = [log for g in groups for log in g.files]
        self.stored: set[str] = set()
        self.line_offsets: dict[int, int] = {}  # file id -> lines before its first record
        self.rejected: list[BadRecord] = []  # rows the scan itself rejected (malformed CSV)
        self.rejected_count = 0
        self.rejected_by_path: dict[str, int] = {}
        self.lines = LineBook()  # per file: the lines that gave no row
        self.nul_possible: bool | None = None  # worked out on first need
        self._nul_scan: Future[bool] | None = None  # the look at the bytes, while it runs
        self._stop_scan = threading.Event()  # set when the load fails: the look is not needed

    def col(self, name: str) -> str:
        """A stage column as SQL: the stored column, or a typed NULL (file_id 0) if not stored."""
        if name in self.stored:
            return name
        return "0" if name == "file_id" else f"CAST(NULL AS {STAGE_COLUMNS[name]})"

    def bad_sql(self) -> str:
        """SQL for a row's bad reason (NULL for a usable row)."""
        own = self.col("bad")
        return MISSING_SQL if own.startswith("CAST(NULL") else f"coalesce({own}, {MISSING_SQL})"

    def usable_sql(self) -> str:
        """SQL true for rows that are access events (well-formed, not skipped)."""
        parts = ["ts IS NOT NULL", "outcome IS NOT NULL"]
        parts += [f"{c} IS NULL" for c in ("bad", "skip") if c in self.stored]
        return " AND ".join(parts)

    def create(self, con: duckdb.DuckDBPyConnection) -> None:
        """Run every group's SQL into ``_events``; on a parse error, once more leniently (and
        on one thread, if DuckDB's parallel CSV reader says it must); as a table after all when
        a view over the files would hold a record that must be changed (``NeedsCopy``).

        A load that fails stops the byte scan running beside it (a large file would
        otherwise keep the command from ending until the scan had read all of it).
        """
        try:
            while True:
                try:
                    return self._create(con)
                except SerialOnly:
                    if all(g.serial for g in self.groups):
                        raise
                    self.groups = [replace(g, serial=True) for g in self.groups]
                except Unreadable:
                    if all(g.lenient for g in self.groups):
                        raise
                    self.groups = [replace(g, lenient=True) for g in self.groups]
                except NeedsCopy:
                    con.execute(f"DROP VIEW {STAGE}")
                    self.materialize = True
        except BaseException:
            self._stop_scan.set()
            raise

    def _create(self, con: duckdb.DuckDBPyConnection) -> None:
        """Run every group's SQL into ``_events`` (table, or view when not materialising)."""
        ensure_outcome_type(con)
        mapped = [(g, self._reader_sql(con, g)) for g in self.groups]
        self.lines = LineBook(  # ordinals are lines only in a copy (file order kept)
            [
                BlankPlan(
                    log.path, log.gzipped, m.lines if self.materialize else None, seen(log.path)
                )
                for g, m in mapped
                for log in g.files
            ]
        )
        for group, m in mapped:
            for i in range(len(group.files)):
                self.line_offsets[group.first_id + i] = m.line_offset
        try:
            self._build(con, mapped)
        finally:
            if self.materialize:  # a view reads the readers' tables on every query
                for table in (t for _g, m in mapped for t in m.scratch):
                    con.execute(f"DROP TABLE IF EXISTS {table}")

    def _build(
        self, con: duckdb.DuckDBPyConnection, mapped: list[tuple[LogGroup, ReaderSql]]
    ) -> None:
        """The readers' setup statements, then ``_events`` from their SQL (see ``_create``)."""
        for _g, m in mapped:
            for statement in m.setup:
                self._run(con, statement)
        # Every text value must be checked for NUL where one may be, so all columns are read:
        # at once for gzip and binary files; for text files the bytes are looked at beside a
        # thin copy, which is made again in full only if they hold a NUL (or its escape).
        self._start_nul_scan()
        self.details = self.details or bool(self.nul_possible)
        self._copy(con, mapped)
        if not self.details and self._nul_possible():
            self.details = True
            self._copy(con, mapped)
        if not self.materialize:
            self._check_view(con)
        for _g, m in mapped:
            if m.rejects:
                self._collect_rejects(con, m.rejects, m.line_records)
        if self.materialize:
            self._mark_nul_text(con)
        if self.materialize and "event_id" in self.stored:
            self._mark_duplicates(con)

    def _copy(
        self, con: duckdb.DuckDBPyConnection, mapped: list[tuple[LogGroup, ReaderSql]]
    ) -> None:
        """Create ``_events`` with the columns this load stores (a thin load: no details)."""
        left_out = frozenset() if self.details else DETAIL_COLUMNS
        self.stored = {c for _g, m in mapped for c in m.columns if c not in left_out}
        self.stored |= {"ts", "outcome"}
        if "source_ip" in self.stored:
            self.stored.add("country")  # filled in from the IP after loading
        if len(self.logs) > 1:
            self.stored.add("file_id")
        union = "\nUNION ALL\n".join(self._select(g, m) for g, m in mapped)
        kind = "TEMP TABLE" if self.materialize else "TEMP VIEW"
        self._run(con, f"CREATE OR REPLACE {kind} {STAGE} AS {union}")

    def _select(self, group: LogGroup, mapped: ReaderSql) -> str:
        """One group's SELECT with every stored column, in STAGE_COLUMNS order."""
        exprs = dict(mapped.columns, file_id=f"file_index + {group.first_id}")
        items = []
        for name, sql_type in STAGE_COLUMNS.items():
            if name in self.stored:
                items.append(f"CAST({exprs.get(name, 'NULL')} AS {sql_type}) AS {name}")
        return f"SELECT * FROM ({mapped.prefix}\nSELECT {', '.join(items)} FROM {mapped.source})"

    def _run(self, con: duckdb.DuckDBPyConnection, sql: str) -> tuple[Any, ...]:
        """Execute reader SQL (its first row, if any); DuckDB's errors become Unreadable, with
        quoted values removed and only the first line kept (the rest may quote the record)."""
        try:
            rows = con.execute(sql).fetchall()  # read to its end: no result left open
        except duckdb.Error as exc:
            raise self._unreadable(exc) from None
        return tuple(rows[0]) if rows else ()

    def _reader_sql(self, con: duckdb.DuckDBPyConnection, group: LogGroup) -> ReaderSql:
        """A group's reader SQL; a file the reader cannot even look into (a Parquet file with
        no footer, say: its schema is read first) is Unreadable, like one that fails its scan."""
        try:
            return LOG_READERS[group.reader].select_sql(con, group)
        except duckdb.Error as exc:
            raise self._unreadable(exc) from None

    def _unreadable(self, exc: duckdb.Error) -> Unreadable:
        """A DuckDB error as the file it names (if any) and the first line of its message,
        quoted values removed (SerialOnly: DuckDB asks for a read on one thread)."""
        path = failed_file(exc, [log.path for log in self.logs])
        more = f" (and {len(self.logs) - 1} more)" if len(self.logs) > 1 else ""
        kind = SerialOnly if "parallel=false" in str(exc) else Unreadable
        return kind(path, self.logs[0].path + more, f"cannot be read: {duckdb_message(exc)}")

    def _check_view(self, con: duckdb.DuckDBPyConnection) -> None:
        """Read a view over the files once, as a copy would: a text file's every value is
        parsed (a bad one fails here, as a copy's would, not in some later query with its
        line's text in DuckDB's message), and its rejected rows are found; a value with a NUL,
        or a log whose repeated deliveries must be skipped, needs a copy (``NeedsCopy``).

        A text file is parsed once, by one query that also looks for the NUL. A Parquet file's
        values need no parse; its text columns are searched for a NUL one at a time: a filter
        on one column is pushed into the Parquet scan (0.03-0.09 s per 10M events), where one
        over all of them is evaluated after every value is read (0.12-0.19 s).
        """
        if "event_id" in self.stored:
            raise NeedsCopy
        nul = list(self._nul_tests().values()) if self._nul_possible() else []
        if any(g.variant in TEXT_VARIANTS for g in self.groups):
            counts = [f"count({c})" for c in sorted(self.stored)]
            found = f"count(*) FILTER (WHERE {' OR '.join(nul)})" if nul else "0"
            row = self._run(con, f"SELECT {found}, {', '.join(counts)} FROM {STAGE}")
        elif nul:
            each = [f"SELECT 1 FROM {STAGE} WHERE {test}" for test in nul]
            row = self._run(con, f"SELECT count(*) FROM ({' UNION ALL '.join(each)})")
        else:
            return
        if row[0]:
            raise NeedsCopy

    def _collect_rejects(
        self, con: duckdb.DuckDBPyConnection, prefix: str, line_records: bool = False
    ) -> None:
        """Rows DuckDB's CSV reader rejected, by file and line (their content is not shown)."""
        rows = con.execute(
            f"""SELECT s.file_path, e.line, e.column_name, e.error_type
                FROM {prefix}_errors e JOIN {prefix}_scans s USING (scan_id, file_id)
                ORDER BY s.file_path, e.line"""
        ).fetchall()
        lines: dict[tuple[str, int], tuple[str, str]] = {}
        for path, line, column, error in rows:  # one record per line, first problem only
            lines.setdefault((path, line), (column, str(error).lower()))
        self.rejected_count += len(lines)
        ids = {log.path: i for i, log in enumerate(self.logs)}
        in_file = {}  # DuckDB's line -> the file's (past quoted line breaks)
        for path, line in lines:
            self.rejected_by_path[path] = self.rejected_by_path.get(path, 0) + 1
            if path in ids:
                in_file[path, line] = self.lines.reject(ids[path], int(line))
        for (path, line), (column, error) in list(lines.items())[:MAX_LISTED]:
            number = in_file.get((path, line), int(line))
            if line_records:
                why = LINE_REJECTS.get(error, f"unreadable line ({error})")
                self.rejected.append(BadRecord(path, number, None, why))
            else:
                why = CSV_REJECTS.get(error, f"malformed CSV row ({error})")
                self.rejected.append(BadRecord(path, number, column, why))

    def _mark_nul_text(self, con: duckdb.DuckDBPyConnection) -> None:
        """Mark records with a NUL character in a text field (JSON ``\\u0000``, CSV) bad.

        No database stores NUL in text (PostgreSQL refuses it), so such a record is bad input,
        named by its field. One scan finds them; only then is a ``bad`` column added.
        """
        tests = self._nul_tests()
        if not tests or not self._nul_possible():
            return
        found = " OR ".join(tests.values())
        row = con.execute(f"SELECT count(*) FROM {STAGE} WHERE {found}").fetchone()
        if not row or not row[0]:
            return
        if "bad" not in self.stored:
            con.execute(f"ALTER TABLE {STAGE} ADD COLUMN bad VARCHAR")
            self.stored.add("bad")
        which = " ".join(
            f"WHEN {test} THEN '{c}: contains a NUL character'" for c, test in tests.items()
        )
        con.execute(f"UPDATE {STAGE} SET bad = coalesce(bad, CASE {which} END) WHERE {found}")

    def _nul_tests(self) -> dict[str, str]:
        """Per stored text column, SQL true when its value holds a NUL character."""
        return {c: f"contains({c}, chr(0))" for c in TEXT_COLUMNS if c in self.stored}

    def _start_nul_scan(self) -> None:
        """Look at the text files' bytes for a NUL on a thread beside the copy (a memchr pass,
        about 0.4 s per 1.8 GB); a gzip or binary file may always hold one, no look needed."""
        if self.nul_possible is not None or self._nul_scan is not None:
            return
        if any(
            log.gzipped or g.variant not in TEXT_VARIANTS for g in self.groups for log in g.files
        ):
            self.nul_possible = True
            return
        pool = ThreadPoolExecutor(1, thread_name_prefix="keyvigil-nul")
        stop = self._stop_scan
        self._nul_scan = pool.submit(lambda: any(may_hold_nul(x.path, stop) for x in self.logs))
        pool.shutdown(wait=False)

    def _nul_possible(self) -> bool:
        """Whether any file's values may hold a NUL character (the bytes are looked at once,
        by the scan begun beside the copy, waited for here)."""
        if self.nul_possible is None:
            self._start_nul_scan()
            if self._nul_scan is not None:
                self.nul_possible = self._nul_scan.result()
                self._nul_scan = None
        return bool(self.nul_possible)

    def _mark_duplicates(self, con: duckdb.DuckDBPyConnection) -> None:
        """Keep the first delivery of each event id; later copies are skipped (and counted)."""
        con.execute(
            f"""UPDATE {STAGE} SET skip = 'duplicate delivery of an event already read'
            WHERE rowid IN (SELECT rowid FROM (
                SELECT rowid, row_number() OVER (
                    PARTITION BY event_id ORDER BY {self.col("file_id")}, {self.col("rec")}, rowid
                ) AS n
                FROM {STAGE} WHERE event_id IS NOT NULL AND {self.usable_sql()})
              WHERE n > 1)"""
        )
