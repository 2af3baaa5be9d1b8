"""True last use: what the logs say about every inventory key, whatever the inventory claims."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from toolkit.analytics.interface import KeyUsage

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


def key_usage(con: duckdb.DuckDBPyConnection) -> list[KeyUsage]:
    """Usage of every inventory key, in inventory order (needs the prepared tables)."""
    rows = con.execute(SQL).fetchall()  # naive UTC times: much faster to fetch than aware ones
    return [
        KeyUsage(
            key_id, provider, _utc(first), _utc(last), events, ok, failed, denied, ips,
            countries=[c for c in countries.split(",") if c], attributed_via=via,
        )
        for key_id, provider, first, last, events, ok, failed, denied, ips, countries, via in rows
    ]  # fmt: skip


def _utc(value: datetime | None) -> datetime | None:
    """A naive UTC datetime from DuckDB made aware."""
    return value.replace(tzinfo=UTC) if value is not None else None
