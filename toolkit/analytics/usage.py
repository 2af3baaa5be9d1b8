"""True last use: what the logs say about every inventory key, whatever the inventory claims."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb

SQL = """
WITH u AS (
  SELECT kid, min(first_ts) AS first_seen, max(last_ts) AS last_seen, sum(n) AS events,
    sum(n_success) AS successes, sum(n_auth_failed) AS auth_failures,
    sum(n_denied) AS denied, count(DISTINCT source_ip) AS source_ips,
    string_agg(DISTINCT country, ',' ORDER BY country) AS countries,
    string_agg(DISTINCT via, ',' ORDER BY via) AS via
  FROM src WHERE kid IS NOT NULL GROUP BY kid)
SELECT i.key_id, i.provider, CAST(u.first_seen AS TIMESTAMP), CAST(u.last_seen AS TIMESTAMP),
  coalesce(u.events, 0) AS events,
  coalesce(u.successes, 0), coalesce(u.auth_failures, 0), coalesce(u.denied, 0),
  coalesce(u.source_ips, 0), coalesce(u.countries, ''), u.via
FROM inventory i LEFT JOIN u ON u.kid = i.kid ORDER BY i.kid
"""


@dataclass(frozen=True)
class KeyUsage:
    """One inventory key's logged activity (zero counts when the logs never show it)."""

    key_id: str
    provider: str
    first_seen: datetime | None
    last_seen: datetime | None
    events: int
    successes: int
    auth_failures: int
    denied: int
    source_ips: int
    countries: list[str] = field(default_factory=list)
    attributed_via: str | None = None
    """``key_id`` (the log names the key) or ``principal`` (credential-report placeholder)."""


def key_usage(con: duckdb.DuckDBPyConnection) -> list[KeyUsage]:
    """Usage of every inventory key, in inventory order (needs the prepared tables)."""
    rows = con.execute(SQL).fetchall()  # naive UTC times: much faster to fetch than aware ones
    return [
        KeyUsage(
            row[0], row[1], _utc(row[2]), _utc(row[3]), *row[4:9],
            countries=[c for c in row[9].split(",") if c], attributed_via=row[10],
        )
        for row in rows
    ]  # fmt: skip


def _utc(value: datetime | None) -> datetime | None:
    """A naive UTC datetime from DuckDB made aware."""
    return value.replace(tzinfo=UTC) if value is not None else None
