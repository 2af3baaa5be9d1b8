"""Shared SQL of the two "used after the end of life" detections (revocation and expiry)."""

from __future__ import annotations

from typing import Any

from toolkit.analytics.detections.interface import Context, Hit, key_hit, sql_time
from toolkit.rules.interface import Severity

SQL = """
WITH ended AS (
  SELECT m.key_id, m.pkey, i.kid, i.{column} AS ended_at FROM keymap m
  JOIN inventory i ON i.kid = m.kid
  WHERE i.{column} IS NOT NULL AND i.{column} < {as_of})
SELECT k.kid, min(k.ended_at) AS ended_at, count(*) AS events,
  min(e.ts) AS first_use, max(e.ts) AS last_use,
  count(*) FILTER (WHERE e.outcome = 'success') AS successes,
  count(*) FILTER (WHERE e.outcome = 'auth_failed') AS auth_failures,
  count(*) FILTER (WHERE e.outcome = 'denied') AS denied,
  count(*) FILTER (WHERE e.outcome NOT IN ('success', 'auth_failed', 'denied')) AS errors,
  count(DISTINCT e.source_ip) AS source_ips
FROM ev e JOIN ended k ON e.key_id = k.key_id AND coalesce(e.principal, '') = k.pkey
WHERE e.ts > k.ended_at AND {since}
GROUP BY k.kid
"""


def used_after(ctx: Context, column: str) -> list[dict[str, Any]]:
    """Per inventory key: events strictly after ``column`` (``revoked_at``/``expires_at``)."""
    sql = SQL.format(column=column, as_of=sql_time(ctx.as_of), since=ctx.since("e.ts"))
    return ctx.fetch(
        f"SELECT i.key_id, i.provider, i.environment, u.* FROM ({sql}) u "
        "JOIN inventory i ON i.kid = u.kid ORDER BY i.key_id"
    )


def hits(rows: list[dict[str, Any]], what: str) -> list[Hit]:
    """Hits: critical when any call after the end succeeded, else high (a leak signal)."""
    out = []
    for row in rows:
        failed = row["events"] - row["successes"]
        if row["successes"]:
            severity = Severity.CRITICAL
            tail = f"{row['successes']} succeeded - the key still works or is accepted somewhere"
        else:
            severity = Severity.HIGH
            tail = "all failed - someone still holds the key (leak signal)"
        message = (
            f"{row['events']} event(s) after {what} ({row['first_use']:%Y-%m-%d %H:%M:%S} .. "
            f"{row['last_use']:%Y-%m-%d %H:%M:%S} UTC); {tail}"
        )
        row = dict(row, failures=failed, signal="success" if row["successes"] else "leak")
        out.append(key_hit(row, severity, message, ()))
    return out
