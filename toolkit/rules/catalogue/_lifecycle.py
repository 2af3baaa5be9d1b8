"""Shared SQL of the two "used after the end of life" log rules (revocation and expiry)."""

from __future__ import annotations

from typing import Any

from toolkit.rules.interface import EventWindow, Hit, LogQuery, Severity
from toolkit.rules.model import key_hit

SQL = """
SELECT i.key_id, i.provider, i.environment, min(i.{column}) AS ended_at, sum(a.n) AS events,
  min(a.first_ts) AS first_use, max(a.last_ts) AS last_use, sum(a.n_success) AS successes,
  sum(a.n_auth_failed) AS auth_failures, sum(a.n_denied) AS denied,
  sum(a.n - a.n_success - a.n_auth_failed - a.n_denied) AS errors,
  count(DISTINCT a.source_ip) AS source_ips
FROM after_end a JOIN inventory i ON i.kid = a.kid
WHERE a.after_{column}
GROUP BY i.key_id, i.provider, i.environment, a.kid
ORDER BY i.key_id
"""


def used_after(ctx: LogQuery, column: str) -> list[dict[str, Any]]:
    """Per inventory key: events strictly after ``column`` (``revoked_at``/``expires_at``)."""
    return ctx.fetch(SQL.format(column=column))


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
        window = EventWindow(row["first_use"], row["last_use"], key_id=row["key_id"])
        out.append(key_hit(row, severity, message, (), window))
    return out
