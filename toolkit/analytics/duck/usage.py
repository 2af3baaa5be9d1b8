"""True last use: what the logs say about every inventory key, whatever the inventory claims."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import duckdb

from toolkit.analytics.interface import InventoryKey, KeyUsage

SQL = """
SELECT kid, CAST(min(first_ts) AS TIMESTAMP), CAST(max(last_ts) AS TIMESTAMP), sum(n),
  sum(n_success), sum(n_auth_failed), sum(n_denied), count(DISTINCT source_ip),
  coalesce(list(DISTINCT country ORDER BY country) FILTER (WHERE country <> ''), []),
  string_agg(DISTINCT via, ',' ORDER BY via)
FROM src WHERE kid IS NOT NULL GROUP BY kid
"""
"""Per inventory key (``kid``) the logs show: only those, for most keys of a large inventory
are never logged (naive UTC times: much faster to fetch than aware ones)."""


def key_usage(con: duckdb.DuckDBPyConnection, keys: Sequence[InventoryKey]) -> list[KeyUsage]:
    """Usage of every key of ``keys`` (the registered inventory), in order, zero when unlogged."""
    seen = {row[0]: row[1:] for row in con.execute(SQL).fetchall()}
    found = []
    for kid, key in enumerate(keys):
        row = seen.get(kid)
        if row is None:
            found.append(KeyUsage(key.key_id, key.provider, None, None, 0, 0, 0, 0, 0, []))
            continue
        first, last, events, ok, failed, denied, ips, countries, via = row
        found.append(
            KeyUsage(
                key.key_id, key.provider, _utc(first), _utc(last), events, ok, failed, denied,
                ips, countries=countries, attributed_via=via,
            )
        )  # fmt: skip
    return found


def _utc(value: datetime | None) -> datetime | None:
    """A naive UTC datetime from DuckDB made aware."""
    return value.replace(tzinfo=UTC) if value is not None else None
