"""Bulk upsert of key records on (provider, key_id): only known fields, only real changes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, bindparam, delete, insert, select, update
from sqlmodel import Session

from toolkit.ingest.inventory.interface import KeyRecord
from toolkit.models import KeyBase
from toolkit.sqltypes import UTCDateTime
from toolkit.store.tables import Key

TABLE = Key.__table__  # type: ignore[attr-defined]
FIELDS = tuple(KeyBase.model_fields)
CONTENT = tuple(f for f in FIELDS if f not in ("source_sha256", "source_ref"))
_COLUMNS = frozenset(FIELDS)
_DEFAULTS = {n: TABLE.c[n].default.arg if TABLE.c[n].default else None for n in FIELDS}
CHUNK = 5000
BULK = 10_000
"""From this many new rows, SQLite inserts get a larger cache and indexes built at the end."""
BULK_CACHE = -65536
"""That cache, in SQLite's units: negative means KiB (64 MiB)."""
Ident = tuple[str, str]
Progress = Callable[[int, int], None]


def ident(record: KeyRecord) -> Ident:
    """The identity of a key: (provider, key_id)."""
    return record["provider"], record["key_id"]


def load_existing(session: Session, providers: Iterable[str]) -> dict[Ident, dict[str, Any]]:
    """Stored keys of the given providers, as plain dicts keyed by identity."""
    query = select(TABLE).where(TABLE.c.provider.in_(sorted(set(providers))))
    rows = session.execute(query).mappings()
    return {(row["provider"], row["key_id"]): dict(row) for row in rows}


def stored_record(row: dict[str, Any]) -> KeyRecord:
    """A stored row as a record holding every field (all known)."""
    return {name: row[name] for name in FIELDS}


@dataclass
class Plan:
    """What an import will do: rows to insert and update, identities to delete."""

    at: datetime
    inserts: list[KeyRecord] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    deletes: list[Ident] = field(default_factory=list)
    outcome: dict[Ident, str] = field(default_factory=dict)


def merged(existing: dict[str, Any], record: KeyRecord) -> dict[str, Any]:
    """The stored row with the record's known fields laid over it (attributes merged)."""
    row = dict(existing)
    row.update((name, value) for name, value in record.items() if name in _COLUMNS)
    if record.get("attributes") is not None and existing.get("attributes"):
        row["attributes"] = {**existing["attributes"], **record["attributes"]}
    return row


def plan_changes(
    records: Iterable[KeyRecord], existing: dict[Ident, dict[str, Any]], at: datetime
) -> Plan:
    """Split records into inserts, updates and unchanged ones."""
    plan = Plan(at=at)
    for record in records:
        key = (record["provider"], record["key_id"])
        old = existing.get(key)
        if old is None:
            plan.inserts.append(record)
            plan.outcome[key] = "inserted"
            continue
        row = merged(old, record)
        if all(row[name] == old[name] for name in CONTENT):
            plan.outcome[key] = "unchanged"
            continue
        row["updated_at"] = at
        plan.updates.append({("_id" if k == "id" else k): v for k, v in row.items()})
        plan.outcome[key] = "updated"
    return plan


def write_changes(session: Session, plan: Plan, progress: Progress | None = None) -> None:
    """Apply a plan with bulk statements, in chunks, reporting rows written."""
    for provider, key_id in plan.deletes:
        session.execute(delete(TABLE).where(TABLE.c.provider == provider, TABLE.c.key_id == key_id))
    total = len(plan.inserts) + len(plan.updates)
    done = 0
    statement = update(TABLE).where(TABLE.c.id == bindparam("_id"))
    fast = session.get_bind().dialect.name == "sqlite"
    with _sqlite_bulk(session, len(plan.inserts) if fast else 0) as started:
        for rows, stmt in ((plan.inserts, insert(TABLE)), (plan.updates, statement)):
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                if stmt is statement:
                    session.execute(stmt, chunk)
                elif fast:
                    _sqlite_insert(session, chunk, plan.at)
                    started()
                else:
                    session.execute(stmt, [dict(_insert_values(r, plan.at)) for r in chunk])
                done += len(chunk)
                if progress is not None:
                    progress(done, total)


@contextmanager
def _sqlite_bulk(session: Session, inserts: int) -> Iterator[Callable[[], None]]:
    """Many SQLite inserts: a larger page cache, and secondary indexes built once at the end.

    The yielded callable is called after each insert chunk; once the transaction has begun
    (SQLite DDL is transactional) and the new rows outnumber the stored ones, it drops the
    table's plain indexes, which are created again, from their own SQL, before the commit.
    On an error the rollback brings them back. The unique (provider, key_id) index stays.
    Journal and sync settings are left alone.
    """
    if inserts < BULK:
        yield lambda: None
        return
    connection = session.connection()
    before = int(connection.exec_driver_sql("PRAGMA cache_size").scalar() or 0)
    connection.exec_driver_sql(f"PRAGMA cache_size={BULK_CACHE}")
    dropped: list[str] = []
    decided = False

    def started() -> None:
        """Drop the plain indexes once, if the transaction is open and the table is small."""
        nonlocal decided
        if decided or not connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
            return
        decided = True
        if connection.exec_driver_sql("SELECT count(*) FROM keys").scalar_one() > inserts:
            return
        indexes = connection.exec_driver_sql(_INDEX_SQL).all()
        for name, sql in indexes:
            connection.exec_driver_sql(f'DROP INDEX "{name}"')
            dropped.append(sql)

    yield started
    for sql in dropped:
        connection.exec_driver_sql(sql)
    connection.exec_driver_sql(f"PRAGMA cache_size={before}")


def _sqlite_times(values: list[Any]) -> list[Any]:
    """Datetimes as SQLAlchemy's SQLite DateTime stores them: naive UTC, with microseconds.

    Like ``UTCDateTime``, a naive value is taken as UTC already; None stays None.
    """
    utc = [
        v if v is None or v.tzinfo is UTC or v.tzinfo is None else v.astimezone(UTC) for v in values
    ]
    return [
        None
        if v is None
        else _STAMP % (v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond)
        for v in utc
    ]


def _insert_values(record: KeyRecord, at: datetime) -> Iterator[tuple[str, Any]]:
    """(column, value) of a new row: the record's fields, defaults for the rest."""
    for name in FIELDS:
        yield name, record.get(name, _DEFAULTS[name])
    yield "first_seen_at", at
    yield "updated_at", at


def _json_texts(values: list[Any]) -> list[Any]:
    """JSON column values as ``json.dumps`` writes them; equal string lists encoded once."""
    memo: dict[tuple[str, ...], str] = {}
    out: list[Any] = []
    for value in values:
        if value is None:
            out.append(None)
        elif type(value) is list and all(type(item) is str for item in value):
            key = tuple(value)
            text = memo.get(key)
            if text is None:
                text = memo[key] = json.dumps(value)
            out.append(text)
        else:
            out.append(json.dumps(value))
    return out


def _sqlite_insert(session: Session, records: list[KeyRecord], at: datetime) -> None:
    """Insert rows through the driver's executemany: the bulk path that reaches 20k+ keys/s.

    Values are converted exactly as the column types would (tested against SQLAlchemy's own
    insert), a column at a time. A nullable column that is None in every row is left out
    (no server default: it is NULL anyway); one that holds the same value in every row is
    written as an SQL literal instead of a parameter bound once per row.
    """
    count = len(records)
    names: list[str] = []
    slots: list[str] = []
    columns: list[list[Any]] = []
    for name, default, kind in _INSERT_PLAN:
        values = [record.get(name, default) for record in records]
        if name in _NULLABLE and values.count(None) == count:
            continue
        if kind == "time":
            values = _sqlite_times(values)
        elif kind == "json":
            values = _json_texts(values)
        literal = _literal(values[0]) if values.count(values[0]) == count else None
        names.append(name)
        slots.append("?" if literal is None else literal)
        if literal is None:
            columns.append(values)
    stamp = _literal(_sqlite_times([at])[0])
    assert stamp is not None  # a formatted time is always plain text
    names += ["first_seen_at", "updated_at"]
    slots += [stamp, stamp]
    sql = f"INSERT INTO keys ({', '.join(names)}) VALUES ({', '.join(slots)})"
    params = list(zip(*columns, strict=True)) if columns else [()] * count
    session.connection().exec_driver_sql(sql, params)


def _literal(value: Any) -> str | None:
    """The SQLite literal storing what binding ``value`` stores, or None to bind it.

    Text, booleans, integers and whole non-negative floats (exact in decimal) only; text
    with a NUL is bound, as the driver refuses it in SQL.
    """
    kind = type(value)
    if kind is str and "\x00" not in value:
        return "'" + value.replace("'", "''") + "'"
    if kind is bool or kind is int:
        return str(int(value))
    if kind is float and value.is_integer() and 0 <= value < 2**53 and repr(value)[0] != "-":
        return repr(value)
    return None


def _column_kind(name: str) -> str | None:
    """How a column's values are converted for the SQLite driver: time, json or as they are."""
    column_type = TABLE.c[name].type
    if isinstance(column_type, UTCDateTime):
        return "time"
    return "json" if isinstance(column_type, JSON) else None


_STAMP = "%04d-%02d-%02d %02d:%02d:%02d.%06d"
"""SQLAlchemy's storage format for DateTime on SQLite."""
_INDEX_SQL = (
    "SELECT name, sql FROM sqlite_master"
    " WHERE type = 'index' AND tbl_name = 'keys' AND sql IS NOT NULL"
    " AND upper(sql) NOT LIKE 'CREATE UNIQUE%'"
)
_INSERT_PLAN = [(name, _DEFAULTS[name], _column_kind(name)) for name in FIELDS]
_NULLABLE = frozenset(
    name for name in FIELDS if TABLE.c[name].nullable and TABLE.c[name].server_default is None
)
