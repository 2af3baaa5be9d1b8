"""unknown-key-activity (log rule): events carrying a key id that no inventory knows.

AWS temporary credentials (``ASIA...``) are left out by default: STS issues them per session,
no inventory lists them, and their principal already names the identity behind them.
"""

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
from toolkit.rules.model import Rule, log_findings

SQL = """
SELECT s.key_id, sum(s.n) AS events, min(s.first_ts) AS first_seen, max(s.last_ts) AS last_seen,
  sum(s.n_success) AS successes, sum(s.n_auth_failed) AS auth_failures,
  count(DISTINCT s.source_ip) AS source_ips
FROM src s
WHERE s.key_id IS NOT NULL AND s.kid IS NULL {temporary}
GROUP BY s.key_id HAVING {since}
ORDER BY s.key_id
"""


def run(ctx: LogQuery) -> list[Hit]:
    """One Hit per unknown key id; nothing when no inventory was given at all."""
    if not ctx.has_inventory:
        return []
    temporary = "AND s.key_id NOT LIKE 'ASIA%'" if ctx.settings.ignore_temporary_keys else ""
    hits = []
    for row in ctx.fetch(SQL.format(temporary=temporary, since=ctx.since("max(s.last_ts)"))):
        severity = Severity.HIGH if row["successes"] else Severity.MEDIUM
        message = (
            f"{row['events']} event(s) for a key no inventory knows "
            f"({row['first_seen']:%Y-%m-%d} .. {row['last_seen']:%Y-%m-%d}, "
            f"{row['successes']} successful)"
        )
        evidence = {k: v for k, v in row.items() if k != "key_id"}
        window = EventWindow(row["first_seen"], row["last_seen"], key_id=row["key_id"])
        hits.append(Hit(row["key_id"], severity, message, evidence, window=window))
    return hits


RULE = Rule(
    id="unknown-key-activity",
    title="Activity of keys no inventory knows",
    severity=Severity.HIGH,
    tier=Tier.DAILY,
    remediation="Find the key's owner and add it to the inventory, or revoke it if nobody "
    "claims it.",
    description="Key ids in the logs that match no inventory key (by key id). High when a call "
    "succeeded, medium otherwise. AWS temporary (ASIA...) ids are ignored when "
    "detections.ignore_temporary_keys is true. Nothing is reported when no "
    "inventory is given.",
    needs=(Needs.LOGS, Needs.INVENTORY),
    thresholds=("detections.ignore_temporary_keys",),
    checks=(LogCheck("unknown-key-activity", run),),
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Findings from the hits of this rule's log checks."""
    return log_findings(RULE, inputs)
