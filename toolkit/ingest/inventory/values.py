"""Stored keys read back as plain ``KeyBase`` values, fast: what audits and alerts judge."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import JSON, Boolean
from sqlmodel import Session, col, select

from toolkit.construct import trusted
from toolkit.models import KeyBase
from toolkit.sqltypes import UTCDateTime
from toolkit.store.tables import Key
from toolkit.timeutil import ensure_utc

Column = list[Any]
"""One column's values, in row order."""


def _timestamps(values: Column) -> Column:
    """Stored timestamps as aware UTC datetimes (SQLite keeps naive UTC text)."""
    parse = datetime.fromisoformat
    if any(isinstance(v, str) for v in values):  # naive UTC: parsed as UTC (much faster than
        return [None if v is None else parse(f"{v}+00:00") for v in values]  # .replace(tzinfo))
    return [None if v is None else ensure_utc(v) for v in values]


def _json(values: Column) -> Column:
    """A JSON column's values (SQLite keeps text; PostgreSQL drivers may decode it already)."""
    return [orjson.loads(v) if isinstance(v, str | bytes) else v for v in values]


def _flags(values: Column) -> Column:
    """A boolean column's values (SQLite keeps 0/1; NULL stays None)."""
    return [None if v is None else bool(v) for v in values]


def _converter(column: Any) -> Callable[[Column], Column] | None:
    """How the raw driver values of ``column`` become the field's (None: as they are)."""
    if isinstance(column.type, UTCDateTime):
        return _timestamps
    if isinstance(column.type, JSON):
        return _json
    if isinstance(column.type, Boolean):
        return _flags
    return None


def key_values(
    session: Session, environment: str | None = None, provider: str | None = None
) -> list[KeyBase]:
    """Every key in the store (or those of one ``environment`` and/or ``provider``, matched
    exactly), in (provider, key id) order.

    Plain ``KeyBase`` values from the driver's rows: rules read each key's fields many times,
    and ORM loading (then SQLAlchemy's per-value result processing) dominated the audit of
    100,000 keys. The SQL is SQLAlchemy's own; each column's raw value is converted as its type
    does (``UTCDateTime``, JSON, boolean). The stored values were validated when imported, so
    they are taken as they are (``trusted``).
    """
    fields = list(KeyBase.model_fields)
    columns = [Key.__table__.c[f] for f in fields]  # type: ignore[attr-defined]
    query = select(*columns).order_by(col(Key.provider), col(Key.key_id))
    connection = session.connection()
    rows = connection.exec_driver_sql(str(query.compile(dialect=connection.dialect))).fetchall()
    if not rows:
        return []
    values = [list(v) for v in zip(*rows, strict=True)]  # column by column: no call per cell
    for i, column in enumerate(columns):
        if (convert := _converter(column)) is not None:
            values[i] = convert(values[i])
    keys = [
        trusted(KeyBase, dict(zip(fields, row, strict=True)), in_order=True)
        for row in zip(*values, strict=True)
    ]
    if environment or provider:
        keys = [
            k
            for k in keys
            if (not environment or k.environment == environment)
            and (not provider or k.provider == provider)
        ]
    return keys
