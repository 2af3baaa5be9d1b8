"""used-after-expiry (log rule): any logged event for a key after its ``expires_at``."""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.rules.catalogue import _lifecycle
from toolkit.rules.interface import (
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


def run(ctx: LogQuery) -> list[Hit]:
    """Keys used after expiry, with counts, first/last use and successes vs failures."""
    return _lifecycle.hits(_lifecycle.used_after(ctx, "expires_at"), "expiry")


RULE = Rule(
    id="used-after-expiry",
    title="Key used after its expiry date",
    severity=Severity.HIGH,
    tier=Tier.IMMEDIATE,
    remediation="Find out why an expired key is still presented, revoke it, and confirm the "
    "provider rejects it; open an incident if any call succeeded (`keyvigil incident open "
    "key-compromise --key KEY_ID`).",
    description="Inventory keys with expires_at that have logged events strictly after "
    "expires_at. Critical when any such call succeeded, high when all failed.",
    needs=(Needs.LOGS, Needs.INVENTORY),
    checks=(LogCheck("used-after-expiry", run),),
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Findings from the hits of this rule's log checks."""
    return log_findings(RULE, inputs)
