"""revoked-without-reason: a revoked key whose revocation reason is not documented."""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier
from toolkit.rules.model import Rule, key_finding

RULE = Rule(
    id="revoked-without-reason",
    title="Key revoked without a documented reason",
    severity=Severity.LOW,
    tier=Tier.WEEKLY,
    remediation="Record why the key was revoked (rotation, compromise, leaver, unused) in the "
    "inventory or the incident log (the organisation's policy: 'Document revocation reason').",
    description="Keys marked revoked (revoked flag or revoked_at) whose revoked_reason is missing "
    "or blank. Disabled-but-not-revoked keys are out of scope.",
    needs=(Needs.INVENTORY,),
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Yield a finding for each revoked key with no revocation reason."""
    keys = inputs.keys
    for key in keys:
        revoked = key.revoked or key.revoked_at is not None
        if revoked and not (key.revoked_reason or "").strip():
            yield key_finding(
                RULE, key, "revoked, reason not documented", revoked_at=key.revoked_at
            )
