"""``usage-anomaly``: a key's daily volume far above its own baseline: more than
median + k * max(1.4826 * MAD, sqrt(median), 1) of its baseline days (sqrt: Poisson noise)."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from toolkit.analytics.detections.interface import Context, Detection, Hit, key_hit
from toolkit.rules.interface import Severity, Tier

DAYS = """
bounds AS (SELECT CAST(date_trunc('day', min(first_ts)) AS TIMESTAMP) AS d0,
  CAST(date_trunc('day', max(last_ts)) AS TIMESTAMP) AS d1 FROM timeline),
days AS (SELECT CAST(r.range AS TIMESTAMPTZ) AS day FROM range(
  (SELECT d0 FROM bounds), (SELECT d1 FROM bounds) + INTERVAL '1' DAY, INTERVAL '1' DAY) r)"""
"""A calendar of every UTC day the log covers, so days without events count as zero."""

SQL = """
WITH {days},
dd AS (SELECT kid, day, sum(n) AS n FROM daily GROUP BY kid, day),
k AS (SELECT kid, min(day) AS d0 FROM dd GROUP BY kid),
base AS (SELECT k.kid, coalesce(dd.n, 0) AS n FROM k
  JOIN days ON days.day >= k.d0 AND days.day < k.d0 + INTERVAL '{baseline}' DAY
  LEFT JOIN dd ON dd.kid = k.kid AND dd.day = days.day),
stats AS (SELECT kid, count(*) AS baseline_days,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY n) AS median FROM base GROUP BY kid
  HAVING count(*) >= {min_days}),
mad AS (SELECT b.kid, percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(b.n - s.median)) AS mad
  FROM base b JOIN stats s ON s.kid = b.kid GROUP BY b.kid),
lim AS (SELECT s.kid, s.baseline_days, s.median, m.mad,
  s.median + {k} * greatest(1.4826 * m.mad, sqrt(s.median), 1) AS threshold
  FROM stats s JOIN mad m ON m.kid = s.kid)
SELECT i.key_id, i.provider, i.environment, dd.day, dd.n AS events, lim.median, lim.mad,
  lim.threshold, lim.baseline_days
FROM dd JOIN lim ON lim.kid = dd.kid JOIN k ON k.kid = dd.kid JOIN inventory i ON i.kid = dd.kid
WHERE dd.day >= k.d0 + INTERVAL '{baseline}' DAY AND dd.n >= {min_events}
  AND dd.n > lim.threshold AND {since}
ORDER BY i.key_id, dd.day
"""


def _hit(rows: list[dict[str, Any]]) -> Hit:
    """All anomalous days of one key as one Hit."""
    top = max(rows, key=lambda r: r["events"])
    days = [{"day": r["day"].date().isoformat(), "events": r["events"]} for r in rows]
    message = (
        f"{len(rows)} day(s) far above the key's baseline; peak {top['events']} events on "
        f"{top['day']:%Y-%m-%d} (baseline median {top['median']:g}/day, "
        f"alert above {top['threshold']:.0f})"
    )
    row = dict(top, days=days, anomalous_days=len(rows), peak_day=top["day"].date())
    return key_hit(row, Severity.MEDIUM, message, ("day", "events"))


def run(ctx: Context) -> list[Hit]:
    """Keys with days above median + k * MAD of their first N days (zero days included)."""
    s = ctx.settings
    since = "TRUE"
    if ctx.period_start is not None:
        since = f"dd.day + INTERVAL '1' DAY > TIMESTAMPTZ '{ctx.period_start.isoformat()}'"
    sql = SQL.format(
        days=DAYS,
        baseline=int(s.baseline_days),
        min_days=int(s.min_baseline_days),
        k=float(s.anomaly_mad_threshold),
        min_events=int(s.anomaly_min_events),
        since=since,
    )
    rows = ctx.fetch(sql)
    return [_hit(list(group)) for _, group in groupby(rows, key=lambda r: r["key_id"])]


DETECTION = Detection("usage-anomaly", Tier.IMMEDIATE, "Unusual usage pattern", run)
