"""The access-log reader interface: a sniff test plus DuckDB SQL mapping files onto events."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import duckdb

from toolkit.analytics.duck.readers.blank import READ_ERRORS, LineRule, pieces, read_failure
from toolkit.analytics.duck.readers.files import check_regular, duckdb_path
from toolkit.analytics.interface import BadRecord as BadRecord  # the readers use it from here
from toolkit.errors import IngestError

HEAD_BYTES = 65536
GZIP_MAGIC = b"\x1f\x8b"
MAX_LINE = 1 << 24  # 16 MiB: the longest record (line or object) the readers accept
OUTCOMES = ("success", "auth_failed", "denied", "error")

# outcome is stored as an ENUM of the four values: 1 byte a row instead of a string, and a
# CASE that yields ENUM constants costs about half as much as one that yields text.
OUTCOME_TYPE = "keyvigil_outcome"


def ensure_outcome_type(con: duckdb.DuckDBPyConnection) -> None:
    """Create the outcome ENUM type in this connection (once)."""
    try:
        con.execute(f"CREATE TYPE {OUTCOME_TYPE} AS ENUM ({', '.join(map(sql_str, OUTCOMES))})")
    except duckdb.CatalogException:
        pass  # already created


def outcome(value: str) -> str:
    """An outcome as an SQL ENUM constant."""
    return f"{sql_str(value)}::{OUTCOME_TYPE}"


# The columns a reader may produce (the staging shape); any it leaves out are NULL.
STAGE_COLUMNS: dict[str, str] = {
    "ts": "TIMESTAMPTZ",
    "key_id": "VARCHAR",
    "principal": "VARCHAR",
    "source_ip": "VARCHAR",
    "country": "VARCHAR",
    "user_agent": "VARCHAR",
    "action": "VARCHAR",
    "outcome": OUTCOME_TYPE,
    "error_code": "VARCHAR",
    "status": "SMALLINT",  # an HTTP status: error_code when >= 400 and no error_code is given
    "file_id": "INTEGER",  # index into the load's file list (the loader adds it)
    "rec": "BIGINT",  # line/record number in the file; absent = the row's ordinal in its file
    "bad": "VARCHAR",  # 'field: reason' for a record that cannot be used (NULL ts/outcome too)
    "event_id": "VARCHAR",  # the log's own event id, where repeated deliveries must be dropped
    "skip": "VARCHAR",  # why a well-formed record is not an access event
    # extras some logs carry (docs/logs.md): the role behind temporary credentials, whether
    # the sign-in or session used MFA, and the log's own error text
    "session_issuer": "VARCHAR",
    "mfa_used": "BOOLEAN",
    "error_message": "VARCHAR",
    "request_id": "VARCHAR",  # the log's own request id, named in a finding's evidence
}


RECORD_VARIANTS = frozenset({"parquet", "document"})
"""Variants whose events are numbered by record, not line: Parquet rows (from 1) and the items
of a JSON document's ``Records`` array (from 1); every other variant is read by line."""


def position_unit(log_format: str) -> str:
    """'record' or 'line': how events of a format (``reader/variant``, or a variant alone)
    are numbered."""
    return "record" if log_format.rpartition("/")[2] in RECORD_VARIANTS else "line"


@dataclass(frozen=True)
class ReaderSql:
    """A reader's mapping: ``{prefix} SELECT <columns> FROM {source}``; file_index must exist."""

    columns: dict[str, str]  # stage column -> SQL expression over the source
    source: str  # a table function call or a CTE name
    prefix: str = ""  # a WITH clause defining the CTEs ``source`` names
    line_offset: int = 0  # lines before the first record (a CSV header), for row ordinals
    rejects: str | None = None  # prefix of ``<x>_errors``/``<x>_scans`` tables (DuckDB CSV)
    line_records: bool = False  # rejected rows are text lines (JSON lines), not CSV rows
    setup: tuple[str, ...] = ()
    """Statements run first, in order (their errors are the load's): tables ``prefix`` reads."""
    scratch: tuple[str, ...] = ()
    """Tables ``setup`` made, dropped once the stage is built from them."""
    lines: LineRule | None = None
    """Rows numbered by ordinal whose scan reads some lines without a row (blank ones, a CSV
    row's quoted line breaks): how (``blank.JSON_LINES``, ``CSV_LINES``); the stage counts
    those lines back in. None: every line gives a row, or rows carry their own number."""


@dataclass(frozen=True)
class LogFile:
    """One input file: its path, whether it is gzip, and its first bytes (decompressed)."""

    path: str
    gzipped: bool
    head: str

    @property
    def compression(self) -> str:
        """The DuckDB ``compression`` argument for this file."""
        return "gzip" if self.gzipped else "none"


@dataclass(frozen=True)
class LogGroup:
    """Files read by one SQL statement: same reader, same variant, same compression."""

    reader: str
    variant: str
    files: tuple[LogFile, ...]
    first_id: int  # global file_id of files[0]; files get consecutive ids
    assume_tz: str | None = None  # zone for timestamps without one (None: they are errors)
    lenient: bool = False  # read past malformed records (slower); set after a strict read failed
    serial: bool = False  # read on one thread: set when DuckDB's parallel CSV reader refused

    @property
    def paths(self) -> list[str]:
        """The file paths, in file_id order."""
        return [f.path for f in self.files]


class LogReader(Protocol):
    """One access-log format, expressed as DuckDB SQL."""

    name: str
    description: str

    def variant(self, log: LogFile) -> str | None:
        """Return the sub-format of this file (e.g. 'jsonl'), or None if it is not this format."""
        ...

    def select_sql(self, con: duckdb.DuckDBPyConnection, group: LogGroup) -> ReaderSql:
        """Return the SQL mapping every record of the group's files onto STAGE_COLUMNS."""
        ...

    def unparsed(self, log: LogFile, lines: Sequence[int]) -> set[int]:
        """Which of these lines (of bad rows numbered by ordinal) are not a JSON value at all,
        so the record, not a field, is what is wrong; error path only."""
        ...


def sql_str(value: str) -> str:
    """Quote a string as an SQL literal."""
    return "'" + value.replace("'", "''") + "'"


def sql_list(values: Sequence[str]) -> str:
    """Quote file paths as an SQL list literal for DuckDB's readers (no globbing)."""
    return "[" + ", ".join(sql_str(duckdb_path(v)) for v in values) + "]"


def read_head(path: Path) -> LogFile:
    """Open a file just far enough to sniff its format (decompressing gzip)."""
    check_regular(path)
    try:
        with path.open("rb") as raw:
            magic = raw.read(2)
        gz = magic == GZIP_MAGIC
        opener = gzip.open if gz else open
        with opener(path, "rb") as fh:
            data = fh.read(HEAD_BYTES)
    except READ_ERRORS as exc:
        raise IngestError(path, f"cannot read: {read_failure(exc)}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return LogFile(str(path), gz, data.decode("utf-8", errors="replace"))


def _loads(text: str) -> object:
    """Parse JSON text; None when it is not JSON or nests too deeply for Python to parse."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def first_json_line(head: str) -> dict[str, Any] | None:
    """The first non-blank line of a text head parsed as a JSON object, else None."""
    for line in head.splitlines():
        if line.strip():
            value = _loads(line)
            return value if isinstance(value, dict) else None
    return None


def too_deep_line(head: str) -> int | None:
    """The line number of the head's first record when it nests too deeply to parse, else None."""
    for number, line in enumerate(head.splitlines(), start=1):
        if line.strip():
            try:
                json.loads(line)
            except RecursionError:
                return number
            except ValueError:
                return None
            return None
    return None


def first_json_object(head: str) -> tuple[dict[str, Any] | None, bool]:
    """The head's first JSON object and whether it spans lines (pretty-printed), else None.

    An object on one line is found as by ``first_json_line``; one spread over lines (as ``jq``
    or a console prints a record) only when it ends inside the head.
    """
    first = first_json_line(head)
    if first is not None:
        return first, False
    text = head.lstrip()
    if not text.startswith("{"):
        return None, False
    try:
        value, _end = json.JSONDecoder().raw_decode(text)
    except (ValueError, RecursionError):
        return None, False
    return (value, True) if isinstance(value, dict) else (None, False)


def zone_missing_sql(text: str) -> str:
    """SQL true when a timestamp text has no zone (Z, UTC or an offset) at its end."""
    return f"NOT regexp_matches({text}, '(Z|z|UTC|[+-][0-9][0-9](:?[0-9][0-9])?)\\s*$')"


NO_ZONE = "timestamp has no time zone; say which zone with --assume-tz"


def unparsed_lines(log: LogFile, lines: Sequence[int]) -> set[int]:
    """Which of these lines of a JSON-lines file do not parse as JSON; error path only.

    Read in Python, in chunks, so that NUL bytes, text that is not UTF-8 and lines of any
    length are judged too; reading stops at the last line wanted.
    """
    wanted = {int(n) for n in lines}
    found: set[int] = set()
    if not wanted:
        return found
    last = max(wanted)
    for line_no, text in _lines(log):
        if line_no in wanted and (text is None or _loads(text) is None):
            found.add(line_no)
        if line_no >= last:
            break
    return found


def _lines(log: LogFile) -> Iterator[tuple[int, str | None]]:
    """(line number, text) of a file's lines; text None when over MAX_LINE bytes or not UTF-8."""
    line_no, size = 0, 0
    parts: list[bytes] = []
    for piece in pieces(log.path, log.gzipped):
        cuts = piece.split(b"\n")
        for i, cut in enumerate(cuts):
            if size <= MAX_LINE:
                parts.append(cut)
            size += len(cut)
            if i < len(cuts) - 1:  # a line ends here
                line_no += 1
                yield line_no, _text(parts, size)
                parts, size = [], 0
    if size:
        yield line_no + 1, _text(parts, size)


def _text(parts: list[bytes], size: int) -> str | None:
    """A line's bytes as text; None when too long to parse or not UTF-8."""
    if size > MAX_LINE:
        return None
    try:
        return b"".join(parts).decode("utf-8")
    except UnicodeDecodeError:
        return None
