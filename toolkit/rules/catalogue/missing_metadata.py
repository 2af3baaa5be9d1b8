"""missing-metadata: a key with no owner, or with neither a name nor a purpose."""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier
from toolkit.rules.model import Rule, is_active, key_finding

RULE = Rule(
    id="missing-metadata",
    title="Key has no owner, or no name or purpose",
    severity=Severity.LOW,
    tier=Tier.WEEKLY,
    remediation="Record who answers for the key (owner) and what it is for (name or purpose) in "
    "the inventory (the organisation's policy: 'Document purpose and scope').",
    description="Active keys with no owner, or with neither a name nor a purpose (blank text "
    "counts as missing). Evidence lists the missing fields.",
    needs=(Needs.INVENTORY,),
    judges=is_active,
)


def _blank(value: str | None) -> bool:
    """True for None or whitespace-only text."""
    return not (value or "").strip()


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Yield a finding for each active key missing its owner or its name and purpose."""
    for key in inputs.active_keys:
        missing = ["owner"] if _blank(key.owner) else []
        if _blank(key.name) and _blank(key.purpose):
            missing += ["name", "purpose"]
        if missing:
            yield key_finding(RULE, key, f"missing {', '.join(missing)}", missing=missing)
