"""no-expiry: an active key without an expiry date."""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier
from toolkit.rules.model import Rule, is_active, key_finding

RULE = Rule(
    id="no-expiry",
    title="Active key has no expiry date",
    severity=Severity.LOW,
    tier=Tier.WEEKLY,
    remediation="Set an expiry date (at most the environment's rotation period) or replace the key "
    "with one that expires.",
    description="Active keys (enabled, not revoked) with no expires_at (the organisation's "
    "policy: 'Include expiration date'). Providers whose keys cannot expire (AWS access keys) "
    "fail here by design: rotation and revocation are then the only limit on the key's life.",
    needs=(Needs.INVENTORY,),
    judges=is_active,
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Yield a finding for each active key with no ``expires_at``."""
    for key in inputs.active_keys:
        if key.expires_at is None:
            yield key_finding(RULE, key, "no expiry date", created_at=key.created_at)
