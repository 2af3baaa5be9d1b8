"""Bulk upsert of key records on (provider, key_id): only known fields, only real changes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, bindparam, delete, insert, select, update
from sqlmodel import Session

from toolkit.ingest.inventory.interface import KeyRecord
from toolkit.store.tables import Key, KeyBase  # via tables: importing models first is circular
from toolkit.store.types import UTCDateTime

TABLE = Key.__table__  # type: ignore[attr-defined]
FIELDS = tuple(KeyBase.model_fields)
CONTENT = tuple(f for f in FIELDS if f not in ("source_sha256", "source_ref"))
_COLUMNS = frozenset(FIELDS)
_DEFAULTS = {n: TABLE.c[n].default.arg if TABLE.c[n].default else None for n in FIELDS}
CHUNK = 5000
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
        key = ident(record)
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
    for rows, stmt in ((plan.inserts, insert(TABLE)), (plan.updates, statement)):
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            if stmt is statement:
                session.execute(stmt, chunk)
            elif fast:
                _sqlite_insert(session, chunk, plan.at)
            else:
                session.execute(stmt, [dict(_insert_values(r, plan.at)) for r in chunk])
            done += len(chunk)
            if progress is not None:
                progress(done, total)


def _sqlite_time(value: datetime) -> str:
    """A datetime as SQLAlchemy's SQLite DateTime stores it: naive UTC, microseconds."""
    text = value.astimezone(UTC).isoformat(" ")[:-6]
    return text if len(text) > 19 else text + ".000000"


def _insert_values(record: KeyRecord, at: datetime) -> Iterator[tuple[str, Any]]:
    """(column, value) of a new row: the record's fields, defaults for the rest."""
    for name in FIELDS:
        yield name, record.get(name, _DEFAULTS[name])
    yield "first_seen_at", at
    yield "updated_at", at


def _sqlite_insert(session: Session, records: list[KeyRecord], at: datetime) -> None:
    """Insert rows through the driver's executemany: the bulk path that reaches 20k+ keys/s.

    Values are converted exactly as the column types would (tested by reading them back).
    """
    names = [*FIELDS, "first_seen_at", "updated_at"]
    times = [i for i, name in enumerate(names) if isinstance(TABLE.c[name].type, UTCDateTime)]
    jsons = [i for i, name in enumerate(names) if isinstance(TABLE.c[name].type, JSON)]
    defaults = [_DEFAULTS[name] for name in FIELDS]
    stamp = _sqlite_time(at)
    sql = f"INSERT INTO keys ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"
    params = []
    for record in records:
        values = [record.get(n, d) for n, d in zip(FIELDS, defaults, strict=True)]
        values += (at, at)
        for i in times:
            if values[i] is not None:
                values[i] = stamp if values[i] is at else _sqlite_time(values[i])
        for i in jsons:
            if values[i] is not None:
                values[i] = json.dumps(values[i])
        params.append(tuple(values))
    session.connection().exec_driver_sql(sql, params)
