"""access-without-audit-trail (log rule): events attributable to no key and no principal,
and inventory keys reported used inside the log window with no matching logged event."""

from __future__ import annotations

from collections.abc import Iterator

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

UNATTRIBUTED = """
SELECT sum(n_no_principal) AS events, min(first_no_principal) AS first_seen,
  max(last_no_principal) AS last_seen, count(DISTINCT source_ip) AS source_ips
FROM src WHERE key_id IS NULL AND n_no_principal > 0 AND {since}
HAVING sum(n_no_principal) > 0
"""
SAMPLES = """SELECT source FROM ev WHERE key_id IS NULL AND principal IS NULL AND {since}
ORDER BY ts LIMIT 5"""

REPORTED = """
WITH w AS (SELECT min(first_ts) AS first_ts, max(last_ts) AS last_ts FROM timeline),
u AS (SELECT kid, max(last_ts) AS logged_last_use, sum(n) AS events
  FROM src WHERE kid IS NOT NULL GROUP BY kid)
SELECT i.key_id, i.provider, i.environment, i.last_used_at AS reported_last_use,
  u.logged_last_use, coalesce(u.events, 0) AS events
FROM inventory i CROSS JOIN w LEFT JOIN u ON u.kid = i.kid
WHERE i.last_used_at BETWEEN w.first_ts AND w.last_ts AND {since}
  AND (u.logged_last_use IS NULL
       OR u.logged_last_use < i.last_used_at - INTERVAL '{tolerance}' SECOND)
ORDER BY i.key_id
"""


def _unattributed(ctx: LogQuery) -> list[Hit]:
    """One Hit summarising events with neither key id nor principal, with where to look."""
    rows = ctx.fetch(UNATTRIBUTED.format(since=ctx.since("last_no_principal")))
    if not rows:
        return []
    row = rows[0]
    row["examples"] = [r["source"] for r in ctx.fetch(SAMPLES.format(since=ctx.since("ts")))]
    message = (
        f"{row['events']} event(s) with no key id and no principal "
        f"({row['first_seen']:%Y-%m-%d} .. {row['last_seen']:%Y-%m-%d}, "
        f"{row['source_ips']} source IP(s)); first at {', '.join(map(str, row['examples'][:2]))}"
    )
    window = EventWindow(row["first_seen"], row["last_seen"], unattributed=True)
    return [Hit("unattributed-events", Severity.MEDIUM, message, row, window=window)]


def _reported(ctx: LogQuery) -> list[Hit]:
    """Keys whose inventory last use is inside the log window but absent from the logs."""
    tolerance = int(ctx.settings.last_used_tolerance_hours * 3600)
    sql = REPORTED.format(tolerance=tolerance, since=ctx.since("i.last_used_at"))
    hits = []
    for row in ctx.fetch(sql):
        logged = row["logged_last_use"]
        seen = f"last logged use {logged:%Y-%m-%d %H:%M}" if logged else "no logged event"
        message = (
            f"inventory reports use at {row['reported_last_use']:%Y-%m-%d %H:%M} UTC, "
            f"inside the log window, but the logs show {seen}"
        )
        hits.append(key_hit(row, Severity.MEDIUM, message, ()))
    return hits


def run(ctx: LogQuery) -> list[Hit]:
    """Both kinds of access without an audit trail."""
    return _unattributed(ctx) + _reported(ctx)


RULE = Rule(
    id="access-without-audit-trail",
    title="Access with no attributable key, or use with no logged events",
    severity=Severity.MEDIUM,
    tier=Tier.WEEKLY,
    remediation="Make every request carry a key or principal in the logs, and make sure every "
    "key's use is logged (the organisation's policy: 'Log all secret access').",
    description="Events with neither a key id nor a principal; and inventory keys whose "
    "last_used_at falls inside the log window but more than "
    "detections.last_used_tolerance_hours after their last logged event (or that "
    "have none).",
    needs=(Needs.LOGS, Needs.INVENTORY),
    thresholds=("detections.last_used_tolerance_hours",),
    checks=(LogCheck("access-without-audit-trail", run),),
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Findings from the hits of this rule's log checks."""
    return log_findings(RULE, inputs)
