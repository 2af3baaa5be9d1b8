"""The house access-log format: JSON Lines, CSV or Parquet with one event per record."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence

import duckdb

from toolkit.analytics.duck.readers.base import (
    HEAD_BYTES,
    OUTCOMES,
    LogFile,
    LogGroup,
    ReaderSql,
    first_json_line,
    outcome,
    sql_list,
    sql_str,
    unparsed_lines,
)
from toolkit.analytics.duck.readers.blank import CSV_LINES, JSON_LINES
from toolkit.analytics.duck.readers.files import duckdb_path
from toolkit.errors import IngestError

# Normalised column -> accepted input names, in order of preference.
ALIASES: dict[str, tuple[str, ...]] = {
    "ts": ("ts", "timestamp", "time"),
    "key_id": ("key_id", "keyId"),
    "principal": ("principal",),
    "source_ip": ("source_ip", "ip", "remote_addr"),
    "country": ("country",),
    "user_agent": ("user_agent",),
    "action": ("action", "endpoint", "path"),
    "outcome": ("outcome",),
    "status": ("status",),
    "error_code": ("error_code",),
    "request_id": ("request_id", "requestId", "requestID"),
}
TYPES = {"ts": "TIMESTAMPTZ", "status": "SMALLINT"}
PARQUET_MAGIC = "PAR1"
ZONE = r"\d\s*(Z|z|UTC|[+-]\d\d?(:?\d\d)?|[A-Za-z]+/[A-Za-z_/+-]+)\s*$"
"""A time's zone, written last: Z, UTC, an offset (+h, +hh, +hhmm, +hh:mm) or a zone name
(Europe/Berlin), right after the clock's last digit or a space; a time has a ``:`` too (a date
alone ends in ``-dd``)."""
ZONE_RE = re.compile(ZONE)
QUICK_ZONE_SQL = """(suffix({c}, 'Z') OR suffix({c}, 'z') OR suffix({c}, 'UTC')
    OR (contains({c}, ':') AND ({c}[-3] IN ('+', '-') OR {c}[-5] IN ('+', '-')
        OR {c}[-6] IN ('+', '-'))))"""
"""True for most times with a zone (Z, UTC, +hh, +hhmm, +hh:mm last), and never for a time
without one, which ends in its hours, minutes, seconds or fraction: about a quarter of the cost
of ``ZONE`` (0.14 s against 0.6 s per 10M times), which looks only at what this misses."""
ZONED_SQL = (
    "CASE WHEN "
    + QUICK_ZONE_SQL
    + " THEN {ts} WHEN contains({c}, ':') AND regexp_matches({c}, "
    + sql_str(ZONE)
    + ") THEN {ts} ELSE {naive} END"
)
"""A text time: ``ts`` where it has a zone of its own (as ``has_zone`` says), else ``naive``."""

# Most frequent values first: DuckDB evaluates each WHEN only on the rows still unmatched.
S, A, D, E = (outcome(o) for o in OUTCOMES)
OUTCOME_SQL = f"""CASE {{c}} WHEN 'success' THEN {S} WHEN 'auth_failed' THEN {A}
    WHEN 'forbidden' THEN {D} WHEN 'denied' THEN {D} WHEN 'error' THEN {E}
    ELSE CASE lower(trim({{c}})) WHEN 'success' THEN {S} WHEN 'ok' THEN {S}
        WHEN 'auth_failed' THEN {A} WHEN 'unauthorized' THEN {A}
        WHEN 'denied' THEN {D} WHEN 'forbidden' THEN {D} WHEN 'error' THEN {E}
    END END"""
STATUS_SQL = f"""CASE WHEN {{c}} BETWEEN 200 AND 399 THEN {S}
    WHEN {{c}} = 401 THEN {A} WHEN {{c}} = 403 THEN {D}
    WHEN {{c}} BETWEEN 400 AND 599 THEN {E} END"""


class HouseReader:
    """keyvigil's own event columns (see docs/logs.md), as JSON Lines, CSV or Parquet."""

    name = "house"
    description = "house format: JSON Lines, CSV or Parquet with ts, key_id, outcome|status, ..."

    def variant(self, log: LogFile) -> str | None:
        """Recognise the file by its first record's column names."""
        if log.head.startswith(PARQUET_MAGIC) or log.path.endswith(".parquet"):
            return "parquet"
        first = first_json_line(log.head)
        if first is not None:
            return "jsonl" if _has_house_columns(first) else None
        header = _csv_header(log.head)
        if header and _has_house_columns(header):
            return "csv"
        return None

    def select_sql(self, con: duckdb.DuckDBPyConnection, group: LogGroup) -> ReaderSql:
        """One typed scan of the group's files, projected onto the event columns."""
        names = _present_names(con, group)
        if group.variant == "jsonl":
            source = _jsonl_source(group, names)
        elif group.variant == "csv":
            source = _csv_source(group, names)
        else:
            source = _parquet_source(group)
        ts_type = _ts_type(con, group, names, source)
        if group.assume_tz is None and (group.variant == "jsonl" or ts_type == "VARCHAR"):
            _require_zone(con, group, names)
        return _projection(group, names, source, ts_type)

    def unparsed(self, log: LogFile, lines: Sequence[int]) -> set[int]:
        """JSON Lines: the lines that are not JSON; a CSV row always splits into fields."""
        return unparsed_lines(log, lines) if self.variant(log) == "jsonl" else set()


def _require_zone(con: duckdb.DuckDBPyConnection, group: LogGroup, names: Sequence[str]) -> None:
    """Refuse naive timestamps unless a zone is assumed: a file whose first record has one is
    refused whole, with the way out (``--assume-tz``); a later record without a zone is a bad
    record of its own (``ZONED_SQL``), except in JSON Lines, whose reader reads it as UTC."""
    column = next((a for a in ALIASES["ts"] if a in names), None)
    if column is None:
        return
    for log in group.files:
        if group.variant == "jsonl":
            value = (first_json_line(log.head) or {}).get(column)
        elif group.variant == "csv":
            rows = list(csv.DictReader(io.StringIO(log.head)))
            value = rows[0].get(column) if rows else None
        else:
            scan = f"read_parquet({sql_str(duckdb_path(log.path))})"
            first = con.execute(f'SELECT "{column}" FROM {scan} LIMIT 1').fetchall()
            value = first[0][0] if first else None
        if isinstance(value, str) and value and not has_zone(value):
            where = {"jsonl": {"line": 1}, "csv": {"line": 2}}.get(group.variant, {"record": 1})
            raise IngestError(
                log.path,
                "timestamp has no time zone; say which zone with --assume-tz",
                **where,
                field=column,
            )


def _ts_type(
    con: duckdb.DuckDBPyConnection, group: LogGroup, names: Sequence[str], source: str
) -> str:
    """The scan's type of the time column: CSV's is text, JSON's is text only when a zone is
    assumed (read_json reads a time without a zone as UTC), Parquet's is the files'."""
    if group.variant == "csv" or (group.variant == "jsonl" and group.assume_tz):
        return "VARCHAR"
    if group.variant == "jsonl" or not any(a in names for a in ALIASES["ts"]):
        return "TIMESTAMP WITH TIME ZONE"
    described = con.execute(f"DESCRIBE SELECT {_pick(names, 'ts')} FROM {source}").fetchall()
    return str(described[0][1])


def _ts_sql(names: Sequence[str], ts_type: str, assume_tz: str | None) -> str:
    """An event's time: a text time with its own zone as written; one without a zone in the
    assumed zone, else NULL (a bad record: read as UTC it could be hours off); a timestamp
    column without a zone in the assumed zone, else UTC. The zone is named in the SQL, not
    taken from the session: a view over Parquet is read after the load has set UTC again."""
    if not any(a in names for a in ALIASES["ts"]):
        return "CAST(NULL AS TIMESTAMPTZ)"
    raw = _pick(names, "ts")
    zone = sql_str(assume_tz) if assume_tz else None
    if ts_type == "VARCHAR":
        naive = f"timezone({zone}, TRY_CAST({raw} AS TIMESTAMP))" if zone else "NULL"
        return ZONED_SQL.format(c=raw, ts=f"TRY_CAST({raw} AS TIMESTAMPTZ)", naive=naive)
    if ts_type.startswith("TIMESTAMP") and "TIME ZONE" not in ts_type:
        return f"timezone({zone}, {raw})" if zone else f"CAST({raw} AS TIMESTAMPTZ)"
    return raw if ts_type == "TIMESTAMP WITH TIME ZONE" else f"TRY_CAST({raw} AS TIMESTAMPTZ)"


def has_zone(value: str) -> bool:
    """True when a time written as text ends in a zone of its own (``ZONE``)."""
    return ":" in value and bool(ZONE_RE.search(value))


def _has_house_columns(names: Iterable[str]) -> bool:
    """True when a record or header carries a timestamp and an outcome or status."""
    keys = set(names)
    has_ts = any(n in keys for n in ALIASES["ts"])
    return has_ts and bool(keys & {"outcome", "status"}) and "eventName" not in keys


def _csv_header(head: str) -> list[str] | None:
    """The header row of a CSV head, if it parses as one."""
    first = head.split("\n", 1)[0]
    if "," not in first:
        return None
    return [c.strip() for c in next(csv.reader(io.StringIO(first)))]


def _present_names(con: duckdb.DuckDBPyConnection, group: LogGroup) -> list[str]:
    """Input column names present in the group (first record of each file), in file order."""
    seen: dict[str, None] = {}
    for log in group.files:
        if group.variant == "jsonl":
            names = _head_keys(log.head)
        elif group.variant == "csv":
            names = _csv_header(log.head) or []
        else:
            schema = f"parquet_schema({sql_str(duckdb_path(log.path))})"
            rows = con.execute(f"SELECT name FROM {schema} WHERE num_children IS NULL").fetchall()
            names = [r[0] for r in rows]
        seen.update(dict.fromkeys(names))
    return list(seen)


def _head_keys(head: str) -> list[str]:
    """The keys of every complete JSON object line in a file's head, in first-seen order."""
    seen: dict[str, None] = {}
    lines = head.splitlines()
    if len(head) >= HEAD_BYTES // 2 and not head.endswith("\n"):
        lines = lines[:-1]  # the head cut a line short
    for line in lines:
        try:
            value = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if isinstance(value, dict):
            seen.update(dict.fromkeys(value))
    return list(seen)


def _wanted(names: Sequence[str]) -> list[str]:
    """The input columns the projection reads."""
    known = {a for aliases in ALIASES.values() for a in aliases}
    return [n for n in names if n in known]


def _columns_struct(names: Sequence[str], types: dict[str, str]) -> str:
    """A DuckDB ``columns`` struct literal with the given types (VARCHAR for the rest)."""
    canon = {a: c for c, aliases in ALIASES.items() for a in aliases}
    items = [f"{sql_str(n)}: '{types.get(canon.get(n, ''), 'VARCHAR')}'" for n in names]
    return "{" + ", ".join(items) + "}"


def _jsonl_source(group: LogGroup, names: Sequence[str]) -> str:
    """read_json with explicit columns; when lenient, malformed lines become all-NULL rows.

    The strict read is about 7% faster; the loader retries leniently if it fails.
    """
    # read_json reads zone-less timestamps as UTC; with an assumed zone, cast text in SQL.
    types = {"status": "SMALLINT"} if group.assume_tz else TYPES
    return (
        f"read_json({sql_list(group.paths)}, format = 'newline_delimited', "
        f"columns = {_columns_struct(_wanted(names), types)}, "
        f"ignore_errors = {str(group.lenient).lower()}, "
        f"compression = '{group.files[0].compression}', maximum_object_size = 16777216)"
    )


def _csv_source(group: LogGroup, names: Sequence[str]) -> str:
    """read_csv over the files with the sniffed header's columns, timestamps read as text."""
    header = _csv_header(group.files[0].head) or []
    for log in group.files[1:]:
        if (_csv_header(log.head) or []) != header:
            raise IngestError(log.path, "CSV header differs from the other files'", line=1)
    twice = next((n for i, n in enumerate(header) if n in header[:i]), None)
    if twice is not None:  # DuckDB's own words were of a "struct_pack" call
        raise IngestError(group.files[0].path, f"CSV header names {twice!r} twice", line=1)
    items = [f"{sql_str(n)}: 'VARCHAR'" for n in header]
    rejects = ""
    if group.lenient:  # malformed rows go to a rejects table, with their line numbers
        name = rejects_table(group)
        rejects = (
            f", ignore_errors = true, store_rejects = true, rejects_table = '{name}_errors', "
            f"rejects_scan = '{name}_scans'"
        )
    serial = ", parallel = false" if group.serial else ""  # quoted line breaks need one thread
    return (
        f"read_csv({sql_list(group.paths)}, header = true, auto_detect = false, delim = ',', "
        f"quote = '\"', escape = '\"', columns = {{{', '.join(items)}}}, null_padding = true, "
        f"compression = '{group.files[0].compression}'{rejects}{serial})"
    )


def rejects_table(group: LogGroup) -> str:
    """The name prefix of the DuckDB tables holding a lenient CSV read's rejected rows."""
    return f"_csv_rejects_{group.first_id}"


def _parquet_source(group: LogGroup) -> str:
    """read_parquet over the files, by column name, with each row's position in its file."""
    return f"read_parquet({sql_list(group.paths)}, union_by_name = true, file_row_number = true)"


def _pick(names: Sequence[str], column: str, cast: str | None = None) -> str:
    """SQL for a normalised column: the first alias present, cast if asked."""
    present = [f'"{a}"' for a in ALIASES[column] if a in names]
    if not present:
        return f"CAST(NULL AS {cast or 'VARCHAR'})"
    expr = present[0] if len(present) == 1 else f"coalesce({', '.join(present)})"
    return f"TRY_CAST({expr} AS {cast})" if cast else expr


def _projection(group: LogGroup, names: Sequence[str], source: str, ts_type: str) -> ReaderSql:
    """Map the scan's columns to stage columns; absent ones are left out (NULL). ``ts_type``:
    the scan's type of the time column (``_ts_type``)."""
    # CSV reads everything as text, Parquet types vary.
    text = group.variant != "jsonl"

    def pick(column: str, cast: str = "VARCHAR") -> str | None:
        """A normalised column, cast only where the scan's type may differ."""
        if not any(a in names for a in ALIASES[column]):
            return None
        return _pick(names, column, cast if text else None)

    status = pick("status", "SMALLINT")
    outcome_in = pick("outcome")
    outcomes = [OUTCOME_SQL.format(c=outcome_in)] if outcome_in else []
    outcomes += [STATUS_SQL.format(c=status)] if status else []
    columns = {
        "ts": _ts_sql(names, ts_type, group.assume_tz),
        "key_id": pick("key_id"),
        "principal": pick("principal"),
        "source_ip": pick("source_ip"),
        "country": f"nullif({pick('country')}, '')" if pick("country") else None,
        "user_agent": pick("user_agent"),
        "action": pick("action"),
        "outcome": (f"coalesce({', '.join(outcomes)})" if len(outcomes) > 1 else outcomes[0])
        if outcomes
        else None,
        "error_code": pick("error_code"),
        "request_id": pick("request_id"),
        "status": status,  # error_code falls back to it (>= 400) lazily, in the events view
        "rec": "file_row_number + 1" if group.variant == "parquet" else None,
    }
    offset = 1 if group.variant == "csv" else 0
    rejects = rejects_table(group) if group.variant == "csv" and group.lenient else None
    kept = {k: v for k, v in columns.items() if v is not None}
    lines = {"jsonl": JSON_LINES, "csv": CSV_LINES}.get(group.variant)
    return ReaderSql(kept, source, "", offset, rejects, lines=lines)
