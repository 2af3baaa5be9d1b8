"""new-location (log rule): a key used from a country (else a /24 or /64 network) outside its
baseline."""

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

SQL = """
WITH base AS (SELECT kid, string_agg(location, ', ' ORDER BY location) AS baseline
  FROM key_locations WHERE in_baseline GROUP BY kid)
SELECT i.key_id, i.provider, i.environment, l.location, l.kind, l.first_seen, l.last_seen,
  l.events, l.successes, l.source_ips, l.baseline_end, 'first days' AS baseline_from,
  coalesce(b.baseline, '') AS baseline
FROM key_locations l JOIN inventory i ON i.kid = l.kid LEFT JOIN base b ON b.kid = l.kid
WHERE NOT l.in_baseline AND {since}
ORDER BY i.key_id, l.first_seen
"""


def run(ctx: LogQuery) -> list[Hit]:
    """One Hit per (key, new location), high when any call from there succeeded."""
    hits = []
    for row in ctx.fetch(SQL.format(since=ctx.since("l.first_seen"))):
        severity = Severity.HIGH if row["successes"] else Severity.MEDIUM
        message = (
            f"used from new {row['kind']} {row['location']} since "
            f"{row['first_seen']:%Y-%m-%d %H:%M:%S} UTC ({row['events']} event(s), "
            f"{row['successes']} successful); baseline: {row['baseline'] or 'none'}"
        )
        window = EventWindow(
            row["first_seen"], row["last_seen"], key_id=row["key_id"], location=row["location"]
        )
        hits.append(key_hit(row, severity, message, (), window))
    return hits


RULE = Rule(
    id="new-location",
    title="Key used from a new location",
    severity=Severity.HIGH,
    tier=Tier.IMMEDIATE,
    remediation="Confirm with the key's owner that the new location is legitimate; if not, "
    "revoke the key and open an incident (`keyvigil incident open key-compromise --key KEY_ID`).",
    description="Keys used from a country (else a /24 or /64 network) not seen in their first "
    "detections.baseline_days days of logs. High when a call from there succeeded, "
    "medium otherwise.",
    needs=(Needs.LOGS, Needs.INVENTORY),
    thresholds=("detections.baseline_days",),
    checks=(LogCheck("new-location", run),),
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Findings from the hits of this rule's log checks."""
    return log_findings(RULE, inputs)
