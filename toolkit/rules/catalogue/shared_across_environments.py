"""shared-across-environments: one secret (fingerprint) used in more than one environment."""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.rules.catalogue._sharing import shared
from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier
from toolkit.rules.model import Rule, is_active

RULE = Rule(
    id="shared-across-environments",
    title="Same secret used in more than one environment",
    severity=Severity.HIGH,
    tier=Tier.WEEKLY,
    remediation="Issue a separate key per environment and revoke the shared one (the "
    "organisation's policy: 'Use different secrets per environment').",
    description="Active keys with a known fingerprint that is also held by an active key in a "
    "different environment (names compared case-insensitively; keys with no environment are "
    "ignored). Every key in the group fails.",
    needs=(Needs.INVENTORY,),
    judges=is_active,
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Yield a finding for each active key whose secret also serves another environment."""
    return shared(RULE, inputs.active_keys, lambda key: key.environment, "environments")
