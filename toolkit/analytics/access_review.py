"""Access review of one key over an exposure window, and other keys seen from its new sources.

One query function over the normalised ``events`` relation (loaded with ``load_events``):
what the key did between exposure start and revocation, what it did after revocation, and
which other keys were used from the addresses the key had not used before the exposure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import duckdb

BASELINE_DAYS = 30
"""How far before the exposure a key's usual addresses are taken from."""

_TOTALS = """
SELECT count(*), count(*) FILTER (WHERE outcome = 'success'),
  count(*) FILTER (WHERE outcome <> 'success'),
  CAST(min(ts) AS TIMESTAMP), CAST(max(ts) AS TIMESTAMP)
FROM events WHERE key_id = $key AND ts >= $start AND ts < $end
"""
_AFTER = """
SELECT count(*), count(*) FILTER (WHERE outcome = 'success'),
  CAST(min(ts) AS TIMESTAMP), CAST(max(ts) AS TIMESTAMP)
FROM events WHERE key_id = $key AND ts >= $revoked
"""
_SOURCES = """
WITH base AS (SELECT DISTINCT source_ip FROM events
  WHERE key_id = $key AND ts >= $base AND ts < $start AND source_ip IS NOT NULL)
SELECT e.source_ip, any_value(e.country), count(*),
  count(*) FILTER (WHERE e.outcome <> 'success'),
  CAST(min(e.ts) AS TIMESTAMP), CAST(max(e.ts) AS TIMESTAMP),
  e.source_ip NOT IN (SELECT source_ip FROM base)
FROM events e WHERE e.key_id = $key AND e.ts >= $start AND e.ts < $end
  AND e.source_ip IS NOT NULL
GROUP BY e.source_ip ORDER BY count(*) DESC, e.source_ip
"""
_ACTIONS = """
SELECT coalesce(action, '(none)'), count(*), count(*) FILTER (WHERE outcome <> 'success')
FROM events WHERE key_id = $key AND ts >= $start AND ts < $end
GROUP BY 1 ORDER BY 2 DESC, 1
"""
_RELATED = """
SELECT key_id, string_agg(DISTINCT source_ip, ',' ORDER BY source_ip), count(*),
  CAST(min(ts) AS TIMESTAMP), CAST(max(ts) AS TIMESTAMP)
FROM events WHERE key_id IS NOT NULL AND key_id <> $key AND ts >= $start AND ts < $end
  AND list_contains($ips, source_ip)
GROUP BY key_id ORDER BY count(*) DESC, key_id
"""


@dataclass(frozen=True)
class SourceUse:
    """The key's events from one source address in the window."""

    ip: str
    country: str | None
    events: int
    failures: int
    first: datetime
    last: datetime
    new: bool
    """Not used by the key in the baseline before the exposure: suspicious."""


@dataclass(frozen=True)
class ActionUse:
    """The key's events for one action (endpoint or API call) in the window."""

    action: str
    events: int
    failures: int


@dataclass(frozen=True)
class RelatedKey:
    """Another key used from one of the suspicious addresses within the window."""

    key_id: str
    ips: tuple[str, ...]
    events: int
    first: datetime
    last: datetime


@dataclass(frozen=True)
class AccessReview:
    """Everything the logs show about one key from exposure start to revocation (or as-of)."""

    key_id: str
    start: datetime
    end: datetime
    revoked_at: datetime | None
    baseline_days: int
    events: int
    successes: int
    failures: int
    first_use: datetime | None
    last_use: datetime | None
    after_revocation: int
    after_revocation_successes: int
    after_revocation_first: datetime | None
    after_revocation_last: datetime | None
    sources: tuple[SourceUse, ...]
    actions: tuple[ActionUse, ...]
    related: tuple[RelatedKey, ...]

    @property
    def suspicious_ips(self) -> tuple[str, ...]:
        """Addresses the key had not used in the baseline."""
        return tuple(source.ip for source in self.sources if source.new)


def review_key_access(
    con: duckdb.DuckDBPyConnection,
    key_id: str,
    start: datetime,
    end: datetime,
    revoked_at: datetime | None = None,
    baseline_days: int = BASELINE_DAYS,
) -> AccessReview:
    """The access review of ``key_id`` over ``[start, end)`` from the loaded ``events``."""
    window = {"key": key_id, "start": _naive(start), "end": _naive(end)}
    totals = con.execute(_TOTALS, window).fetchone() or (0, 0, 0, None, None)
    after = (0, 0, None, None)
    if revoked_at is not None:
        query = {"key": key_id, "revoked": _naive(revoked_at)}
        after = con.execute(_AFTER, query).fetchone() or after
    base = {**window, "base": _naive(start - timedelta(days=baseline_days))}
    sources = tuple(
        SourceUse(r[0], r[1], r[2], r[3], _utc(r[4]), _utc(r[5]), bool(r[6]))
        for r in con.execute(_SOURCES, base).fetchall()
    )
    actions = tuple(ActionUse(*row) for row in con.execute(_ACTIONS, window).fetchall())
    suspicious = [source.ip for source in sources if source.new]
    related: tuple[RelatedKey, ...] = ()
    if suspicious:
        rows = con.execute(_RELATED, {**window, "ips": suspicious}).fetchall()
        related = tuple(
            RelatedKey(r[0], tuple(r[1].split(",")), r[2], _utc(r[3]), _utc(r[4])) for r in rows
        )
    return AccessReview(
        key_id, start, end, revoked_at, baseline_days,
        int(totals[0]), int(totals[1]), int(totals[2]), _maybe(totals[3]), _maybe(totals[4]),
        int(after[0]), int(after[1]), _maybe(after[2]), _maybe(after[3]),
        sources, actions, related,
    )  # fmt: skip


def _naive(value: datetime) -> datetime:
    """An aware time as the naive UTC value DuckDB compares with TIMESTAMPTZ in a UTC session."""
    return value.astimezone(UTC).replace(tzinfo=None)


def _utc(value: datetime) -> datetime:
    """A naive UTC datetime from DuckDB made aware."""
    return value.replace(tzinfo=UTC)


def _maybe(value: datetime | None) -> datetime | None:
    """Aware UTC, or None."""
    return None if value is None else _utc(value)
