"""shared-between-owners: one secret (fingerprint) held by more than one owner."""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.rules.catalogue._sharing import shared
from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier
from toolkit.rules.model import Rule, is_active

RULE = Rule(
    id="shared-between-owners",
    title="Same secret held by more than one owner",
    severity=Severity.HIGH,
    tier=Tier.WEEKLY,
    remediation="Give each owner their own key so every use is attributable, then revoke the "
    "shared one (the organisation's policy: 'Different keys for each developer').",
    description="Active keys with a known fingerprint that is also held by an active key of a "
    "different owner (compared case-insensitively; keys with no owner are ignored). Every key in "
    "the group fails.",
    needs=(Needs.INVENTORY,),
    judges=is_active,
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Yield a finding for each active key whose secret is also held by another owner."""
    return shared(RULE, inputs.active_keys, lambda key: key.owner, "owners")
