"""True last use: what the logs say about every inventory key, whatever the inventory claims."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import duckdb

SQL = """
WITH u AS (
  SELECT m.kid, min(s.first_ts) AS first_seen, max(s.last_ts) AS last_seen, sum(s.n) AS events,
    sum(s.n_success) AS successes, sum(s.n_auth_failed) AS auth_failures,
    sum(s.n_denied) AS denied, count(DISTINCT s.source_ip) AS source_ips,
    string_agg(DISTINCT s.country, ',' ORDER BY s.country) AS countries,
    string_agg(DISTINCT m.via, ',' ORDER BY m.via) AS via
  FROM src s JOIN keymap m ON s.key_id = m.key_id AND s.pkey = m.pkey GROUP BY m.kid)
SELECT i.key_id, i.provider, u.first_seen, u.last_seen, coalesce(u.events, 0) AS events,
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
    rows = con.execute(SQL).fetchall()
    return [
        KeyUsage(*row[:9], countries=[c for c in row[9].split(",") if c], attributed_via=row[10])
        for row in rows
    ]
