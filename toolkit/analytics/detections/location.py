"""``new-location``: a key used from a country (else a /24 or /64 network) outside its baseline."""

from __future__ import annotations

from toolkit.analytics.detections.interface import Context, Detection, Hit, key_hit
from toolkit.rules.interface import Severity, Tier

SQL = """
WITH known AS (SELECT i.kid, kl.location FROM known_locations kl
  JOIN inventory i ON i.key_id = kl.key_id),
base AS (SELECT kid, string_agg(location, ', ' ORDER BY location) AS baseline
  FROM key_locations WHERE in_baseline GROUP BY kid)
SELECT i.key_id, i.provider, i.environment, l.location, l.kind, l.first_seen, l.last_seen,
  l.events, l.successes, l.source_ips, l.baseline_end,
  CASE WHEN l.kid IN (SELECT kid FROM known) THEN 'previous run' ELSE 'first days' END
    AS baseline_from,
  coalesce(b.baseline, '') AS baseline
FROM key_locations l JOIN inventory i ON i.kid = l.kid LEFT JOIN base b ON b.kid = l.kid
WHERE CASE WHEN l.kid IN (SELECT kid FROM known)
  THEN l.location NOT IN (SELECT k.location FROM known k WHERE k.kid = l.kid)
  ELSE NOT l.in_baseline END
  AND {since}
ORDER BY i.key_id, l.first_seen
"""


def run(ctx: Context) -> list[Hit]:
    """One Hit per (key, new location), high when any call from there succeeded."""
    hits = []
    for row in ctx.fetch(SQL.format(since=ctx.since("l.first_seen"))):
        severity = Severity.HIGH if row["successes"] else Severity.MEDIUM
        message = (
            f"used from new {row['kind']} {row['location']} since "
            f"{row['first_seen']:%Y-%m-%d %H:%M:%S} UTC ({row['events']} event(s), "
            f"{row['successes']} successful); baseline: {row['baseline'] or 'none'}"
        )
        hits.append(key_hit(row, severity, message, ()))
    return hits


DETECTION = Detection("new-location", Tier.IMMEDIATE, "Key used from a new location", run)
