"""Building small ``events`` tables and inventories by hand for detection tests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

import duckdb
import pandas as pd

import toolkit.store  # noqa: F401  (import order: models needs the store package first)
from toolkit.analytics.duck.analyse import analyse
from toolkit.analytics.interface import Analysis
from toolkit.models import KeyBase
from toolkit.rules.settings import DetectionSettings

T0 = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
AS_OF = datetime(2026, 10, 1, tzinfo=UTC)
COLUMNS = (
    "ts",
    "key_id",
    "principal",
    "source_ip",
    "country",
    "user_agent",
    "action",
    "outcome",
    "error_code",
    "source",
)


def ev(ts: datetime, key_id: str | None = "k1", outcome: str = "success", **kw: object) -> dict:
    """One event with sensible defaults."""
    row = dict.fromkeys(COLUMNS)
    row.update(ts=ts, key_id=key_id, outcome=outcome, source_ip="10.0.0.1", country="DE")
    row.update(action="GET /v1/things", source="test.jsonl:1")
    row.update(kw)
    return row


def every(start: datetime, step: timedelta, count: int, **kw: object) -> list[dict]:
    """``count`` events ``step`` apart from ``start``."""
    return [ev(start + i * step, **kw) for i in range(count)]


def events_table(rows: Iterable[dict]) -> duckdb.DuckDBPyConnection:
    """A fresh DuckDB connection holding ``events`` with the normalised column types."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    frame = pd.DataFrame(list(rows), columns=list(COLUMNS), dtype="object")  # noqa: F841
    casts = ", ".join(f"{c}::VARCHAR AS {c}" for c in COLUMNS[1:])
    con.execute(f"CREATE TABLE events AS SELECT ts::TIMESTAMPTZ AS ts, {casts} FROM frame")
    return con


def key(key_id: str = "k1", **kw: object) -> KeyBase:
    """An inventory key created long before the test events."""
    kw.setdefault("created_at", datetime(2026, 1, 1, tzinfo=UTC))
    kw.setdefault("environment", "prod")
    return KeyBase(key_id=key_id, **kw)


def run(
    rows: Iterable[dict],
    keys: Sequence[KeyBase] = (),
    settings: DetectionSettings | None = None,
    as_of: datetime = AS_OF,
    **kw: object,
) -> Analysis:
    """Analyse ``rows`` against ``keys`` (default: one key ``k1``)."""
    con = events_table(rows)
    keys = list(keys) or [key()]
    return analyse(con, keys, settings or DetectionSettings(), as_of, **kw)
