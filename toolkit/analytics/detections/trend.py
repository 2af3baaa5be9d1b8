"""Weekly "unusual usage trend": a key's volume in the current period several times its volume
in the previous period (reported under the ``usage-anomaly`` rule)."""

from __future__ import annotations

from toolkit.analytics.detections.interface import Context, Detection, Hit, key_hit
from toolkit.rules.interface import Severity, Tier

SQL = """
WITH p AS (SELECT kid,
    coalesce(sum(n) FILTER (WHERE period = 'current'), 0) AS current_events,
    coalesce(sum(n) FILTER (WHERE period = 'previous'), 0) AS previous_events,
    min(day) AS first_day
  FROM daily GROUP BY kid)
SELECT i.key_id, i.provider, i.environment, p.current_events, p.previous_events
FROM p JOIN inventory i ON i.kid = p.kid
WHERE p.current_events >= {min_events} AND p.current_events > {factor} * p.previous_events
  AND p.first_day < {previous_start}
ORDER BY i.key_id
"""


def run(ctx: Context) -> list[Hit]:
    """Keys with history before the previous period whose volume jumped by the trend factor."""
    s = ctx.settings
    sql = SQL.format(
        min_events=int(s.trend_min_events),
        factor=float(s.trend_factor),
        previous_start=f"TIMESTAMPTZ '{ctx.previous_start.isoformat()}'",
    )
    hits = []
    for row in ctx.fetch(sql):
        row = dict(row, kind="trend", current_start=ctx.current_start)
        message = (
            f"{row['current_events']} events since {ctx.current_start:%Y-%m-%d}, "
            f"against {row['previous_events']} in the period before"
        )
        hits.append(key_hit(row, Severity.LOW, message, ()))
    return hits


DETECTION = Detection("usage-trend", Tier.WEEKLY, "Unusual usage trend", run, "usage-anomaly")
