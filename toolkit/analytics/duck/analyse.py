"""One analysis in DuckDB: the inventory in, the shared tables, every log check, usage, days."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from functools import partial

import duckdb

from toolkit.analytics.duck import lines
from toolkit.analytics.duck.inventory import register_inventory
from toolkit.analytics.duck.prepare import prepare
from toolkit.analytics.duck.usage import key_usage
from toolkit.analytics.interface import (
    Analysis,
    AnalyticsError,
    Coverage,
    DailyCount,
    InventoryKey,
    KeyUsage,
)
from toolkit.rules.catalogue import LOG_CHECKS
from toolkit.rules.interface import Hit, LogQuery, Row
from toolkit.rules.settings import DetectionSettings
from toolkit.timeutil import ensure_utc

DAILY = """SELECT dayno, sum(n) AS events,
  coalesce(sum(n) FILTER (WHERE outcome = 'auth_failed'), 0) AS failed
FROM agg0 GROUP BY dayno ORDER BY dayno"""
"""The whole log (up to as-of) per UTC day, from the one aggregate pass over the events."""

COVERAGE = "SELECT min(first_ts), max(last_ts), sum(n) FROM timeline"
EPOCH = date(1970, 1, 1)


SOURCE_COLUMN = re.compile(r"\bsource\b")
"""A query naming the ``source`` column (``source_ip`` is another word): its line numbers must
be settled first (``lines.settle``)."""


def fetch(con: duckdb.DuckDBPyConnection, sql: str) -> list[Row]:
    """Run ``sql`` and return its rows by column name (line numbers settled first if it reads
    ``source``: a check's examples)."""
    if SOURCE_COLUMN.search(sql):
        lines.settle(con)
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _check_events(con: duckdb.DuckDBPyConnection) -> None:
    """Fail clearly when no ``events`` table has been loaded."""
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'events'"
    ).fetchone()
    if not found or not found[0]:
        raise AnalyticsError("no access events loaded (the DuckDB table 'events' is missing)")


def _daily(con: duckdb.DuckDBPyConnection) -> tuple[DailyCount, ...]:
    """Events and auth failures per UTC day of the whole log up to as-of."""
    rows = con.execute(DAILY).fetchall()
    return tuple(DailyCount(EPOCH + timedelta(days=d), int(n), int(f)) for d, n, f in rows)


def _coverage(con: duckdb.DuckDBPyConnection, keys: int, usage: Sequence[KeyUsage]) -> Coverage:
    """First and last event and event count of the log (up to as-of), keys seen."""
    first, last, events = con.execute(COVERAGE).fetchone() or (None, None, None)
    return Coverage(first, last, events, keys, sum(1 for u in usage if u.events))


def analyse(
    con: duckdb.DuckDBPyConnection,
    keys: Sequence[InventoryKey],
    settings: DetectionSettings,
    as_of: datetime,
    period_start: datetime | None = None,
) -> Analysis:
    """Run every log check once over the loaded ``events`` table and the inventory ``keys``."""
    _check_events(con)
    started = time.perf_counter()
    register_inventory(con, keys)
    query = LogQuery(
        fetch=partial(fetch, con),
        settings=settings,
        as_of=ensure_utc(as_of),
        period_start=ensure_utc(period_start) if period_start else None,
        has_inventory=bool(keys),
    )
    prepare(con, query)
    timings = {"prepare": time.perf_counter() - started}
    hits: dict[str, tuple[Hit, ...]] = {}
    for _rule, check in LOG_CHECKS:
        t0 = time.perf_counter()
        hits[check.id] = tuple(check.run(query))
        timings[check.id] = time.perf_counter() - t0
    t0 = time.perf_counter()
    usage = tuple(key_usage(con, keys))
    daily = _daily(con)
    timings["usage"] = time.perf_counter() - t0
    return Analysis(
        as_of=query.as_of,
        period_start=query.period_start,
        settings=settings,
        hits=hits,
        usage=usage,
        daily=daily,
        coverage=_coverage(con, len(keys), usage),
        timings=timings,
    )
