"""usage-anomaly (log rule): a key's daily volume far above its own baseline: more than
median + k * max(1.4826 * MAD, sqrt(median), 1) of its baseline days (sqrt: Poisson noise); and,
as a weekly check of its own (``usage-trend``), a key's volume in the current period several
times its volume in the previous period."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from itertools import groupby
from typing import Any

from toolkit.rules.interface import (
    EventWindow,
    Finding,
    Hit,
    LogCheck,
    LogQuery,
    Needs,
    RuleInputs,
    Severity,
    Tier,
)
from toolkit.rules.model import Rule, key_hit, log_findings

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
    peak = top["day"]
    window = EventWindow(peak, peak + timedelta(days=1) - timedelta(microseconds=1), top["key_id"])
    return key_hit(row, Severity.MEDIUM, message, ("day", "events"), window)


def run_anomaly(ctx: LogQuery) -> list[Hit]:
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


TREND_SQL = """
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


def run_trend(ctx: LogQuery) -> list[Hit]:
    """Keys with history before the previous period whose volume jumped by the trend factor."""
    s = ctx.settings
    sql = TREND_SQL.format(
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
        window = EventWindow(ctx.current_start, ctx.as_of, key_id=row["key_id"])
        hits.append(key_hit(row, Severity.LOW, message, (), window))
    return hits


RULE = Rule(
    id="usage-anomaly",
    title="Key's daily volume far above its baseline",
    severity=Severity.MEDIUM,
    tier=Tier.IMMEDIATE,
    remediation="Ask the owner what changed; if nothing explains the volume, treat the key as "
    "possibly compromised.",
    description="Keys with at least detections.min_baseline_days of history whose daily event "
    "count exceeds median + anomaly_mad_threshold x MAD of their baseline days, on "
    "days with at least anomaly_min_events events.",
    needs=(Needs.LOGS, Needs.INVENTORY),
    thresholds=("detections.baseline_days", "detections.min_baseline_days", "detections.anomaly_*"),
    checks=(
        LogCheck("usage-anomaly", run_anomaly),
        LogCheck("usage-trend", run_trend, tier=Tier.WEEKLY),
    ),
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Findings from the hits of this rule's log checks."""
    return log_findings(RULE, inputs)
