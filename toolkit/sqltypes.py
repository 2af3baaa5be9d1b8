"""SQL column types of the field lists (``models``) and tables: timestamps always aware UTC."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from toolkit.timeutil import ensure_utc


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC (timestamptz on PostgreSQL) and returns them aware UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        """Normalise to UTC before writing; SQLite keeps a naive UTC value."""
        if value is None:
            return None
        value = ensure_utc(value)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Give back an aware UTC datetime whatever the backend returned."""
        if value is None:
            return None
        return ensure_utc(value)
