"""The access-log reader interface: a sniff test plus DuckDB SQL mapping files onto events."""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import duckdb

from toolkit.analytics.interface import BadRecord as BadRecord  # the readers use it from here
from toolkit.errors import IngestError

HEAD_BYTES = 65536
GZIP_MAGIC = b"\x1f\x8b"
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
}


@dataclass(frozen=True)
class ReaderSql:
    """A reader's mapping: ``{prefix} SELECT <columns> FROM {source}``; file_index must exist."""

    columns: dict[str, str]  # stage column -> SQL expression over the source
    source: str  # a table function call or a CTE name
    prefix: str = ""  # a WITH clause defining the CTEs ``source`` names
    line_offset: int = 0  # lines before the first record (a CSV header), for row ordinals
    rejects: str | None = None  # prefix of ``<x>_errors``/``<x>_scans`` tables (DuckDB CSV)


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

    def locate(
        self, con: duckdb.DuckDBPyConnection, log: LogFile, ordinals: Sequence[int]
    ) -> dict[int, tuple[int, bool]]:
        """Map record ordinals (rows without rec) to (line, parses as JSON); error path only."""
        ...


def sql_str(value: str) -> str:
    """Quote a string as an SQL literal."""
    return "'" + value.replace("'", "''") + "'"


def sql_list(values: Sequence[str]) -> str:
    """Quote strings as an SQL list literal."""
    return "[" + ", ".join(sql_str(v) for v in values) + "]"


def read_head(path: Path) -> LogFile:
    """Open a file just far enough to sniff its format (decompressing gzip)."""
    try:
        with path.open("rb") as raw:
            magic = raw.read(2)
        gz = magic == GZIP_MAGIC
        opener = gzip.open if gz else open
        with opener(path, "rb") as fh:
            data = fh.read(HEAD_BYTES)
    except (OSError, EOFError) as exc:
        raise IngestError(path, f"cannot read: {exc.__class__.__name__}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return LogFile(str(path), gz, data.decode("utf-8", errors="replace"))


def first_json_line(head: str) -> dict | None:
    """The first non-blank line of a text head parsed as a JSON object, else None."""
    for line in head.splitlines():
        if line.strip():
            try:
                value = json.loads(line)
            except ValueError:
                return None
            return value if isinstance(value, dict) else None
    return None


def line_ordinals_sql(log: LogFile, ordinals: Sequence[int]) -> str:
    """SQL giving (ordinal, line, text) of the non-blank lines of one file with those ordinals."""
    wanted = ", ".join(str(int(o)) for o in ordinals) or "NULL"
    return f"""
        WITH lines AS (
            SELECT row_number() OVER () AS line, l AS text
            FROM read_csv({sql_str(log.path)}, columns = {{'l': 'VARCHAR'}}, header = false,
                          delim = chr(0), quote = '', escape = '', auto_detect = false,
                          compression = '{log.compression}', max_line_size = 100000000)
        ), records AS (
            SELECT row_number() OVER (ORDER BY line) AS ordinal, line, text
            FROM lines WHERE text IS NOT NULL AND trim(text) <> ''
        )
        SELECT ordinal, line, json_valid(text) FROM records WHERE ordinal IN ({wanted})
        ORDER BY ordinal
    """


def locate_lines(
    con: duckdb.DuckDBPyConnection, log: LogFile, ordinals: Sequence[int]
) -> dict[int, tuple[int, bool]]:
    """Map record ordinals of a JSON-lines file to (line, valid JSON) with one line-exact pass."""
    rows = con.execute(line_ordinals_sql(log, ordinals)).fetchall()
    return {int(o): (int(line), bool(ok)) for o, line, ok in rows}
