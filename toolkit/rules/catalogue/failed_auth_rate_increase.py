"""failed-auth-rate-increase (log rule): the auth-failure rate of a key (and of the whole log)
in the current period well above the previous period of the same length."""

from __future__ import annotations

from collections.abc import Iterator
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

PERIODS = """SELECT {group}
  coalesce(sum(n) FILTER (WHERE period = 'current'), 0) AS current_events,
  coalesce(sum(n_failed) FILTER (WHERE period = 'current'), 0) AS current_failures,
  coalesce(sum(n) FILTER (WHERE period = 'previous'), 0) AS previous_events,
  coalesce(sum(n_failed) FILTER (WHERE period = 'previous'), 0) AS previous_failures
FROM {table} WHERE period IS NOT NULL {group_by}"""

SQL = """
WITH p AS ({periods}),
r AS (SELECT *, CAST(current_failures AS DOUBLE) / current_events AS current_rate,
  CAST(previous_failures AS DOUBLE) / previous_events AS previous_rate
  FROM p WHERE current_events >= {min_events} AND previous_events >= {min_events})
SELECT {select} r.* FROM r {join}
WHERE current_failures >= {min_failures} AND current_rate >= {min_rate}
  AND current_rate > {factor} * previous_rate
{order}
"""

ALL = "all-events"
"""Subject of the whole-log row."""


def _sql(ctx: LogQuery, per_key: bool) -> str:
    """The comparison per inventory key, or over the whole log."""
    s = ctx.settings
    periods = PERIODS.format(
        group="kid," if per_key else "",
        table="daily" if per_key else "timeline",
        group_by="GROUP BY kid" if per_key else "",
    )
    return SQL.format(
        periods=periods,
        min_events=int(s.rate_min_events),
        min_failures=int(s.rate_min_failures),
        min_rate=float(s.rate_min_rate),
        factor=float(s.rate_increase_factor),
        select="i.key_id, i.provider, i.environment," if per_key else f"'{ALL}' AS key_id,",
        join="JOIN inventory i ON i.kid = r.kid" if per_key else "",
        order="ORDER BY i.key_id" if per_key else "",
    )


def _hit(row: dict[str, Any], ctx: LogQuery) -> Hit:
    """One rate increase as a Hit."""
    row = dict(row, provider=row.get("provider"), environment=row.get("environment"))
    row.update(current_start=ctx.current_start, previous_start=ctx.previous_start)
    message = (
        f"auth-failure rate {row['current_rate']:.1%} ({row['current_failures']} of "
        f"{row['current_events']}) since {ctx.current_start:%Y-%m-%d %H:%M}, up from "
        f"{row['previous_rate']:.1%} in the previous period"
    )
    window = None
    if row["key_id"] != ALL:
        window = EventWindow(
            ctx.current_start, ctx.as_of, key_id=row["key_id"], outcome="auth_failed"
        )
    return key_hit(row, Severity.MEDIUM, message, (), window)


def run(ctx: LogQuery) -> list[Hit]:
    """Keys (and the whole log) whose failure rate rose beyond the factor."""
    rows = ctx.fetch(_sql(ctx, per_key=False)) + ctx.fetch(_sql(ctx, per_key=True))
    return [_hit(row, ctx) for row in rows]


RULE = Rule(
    id="failed-auth-rate-increase",
    title="Failed-authentication rate well above the previous period",
    severity=Severity.MEDIUM,
    tier=Tier.DAILY,
    remediation="Look for a client with a stale key or for guessing; fix the client or block "
    "the source.",
    description="Per key and over the whole log: the auth-failure rate of the last "
    "rate_period_days above rate_increase_factor x the previous period's, with at "
    "least rate_min_failures failures, rate_min_rate, and rate_min_events events "
    "in each period.",
    needs=(Needs.LOGS, Needs.INVENTORY),
    thresholds=("detections.rate_*",),
    checks=(LogCheck("failed-auth-rate-increase", run),),
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Findings from the hits of this rule's log checks."""
    return log_findings(RULE, inputs)
