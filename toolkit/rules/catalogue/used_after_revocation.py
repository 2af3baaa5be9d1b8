"""used-after-revocation (log rule): any logged event for a key after its ``revoked_at``."""

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
    """Keys used after revocation, with counts, first/last use and successes vs failures."""
    return _lifecycle.hits(_lifecycle.used_after(ctx, "revoked_at"), "revocation")


RULE = Rule(
    id="used-after-revocation",
    title="Key used after revocation",
    severity=Severity.CRITICAL,
    tier=Tier.IMMEDIATE,
    remediation="Treat the key as compromised: open an incident (`keyvigil incident open "
    "key-compromise --key KEY_ID`), find who used it and from where, and block it at the "
    "provider.",
    description="Inventory keys with revoked_at that have logged events strictly after "
    "revoked_at (events at the revocation instant pass). Critical when any such "
    "call succeeded, high when all failed (a leak signal).",
    needs=(Needs.LOGS, Needs.INVENTORY),
    checks=(LogCheck("used-after-revocation", run),),
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Findings from the hits of this rule's log checks."""
    return log_findings(RULE, inputs)
