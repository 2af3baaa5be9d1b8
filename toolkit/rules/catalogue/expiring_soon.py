"""expiring-soon: an active key that expires within the warning window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier
from toolkit.rules.model import Rule, days_between, is_active, key_finding

RULE = Rule(
    id="expiring-soon",
    title="Key expires within the warning window",
    severity=Severity.LOW,
    tier=Tier.DAILY,
    remediation="Generate the replacement key now and roll it out before the old one expires.",
    description="Active keys whose expires_at is after the as-of time and at most "
    "expiring_soon_days after it (exactly at the window's end fails). Keys already expired are "
    "reported by expired-active instead; keys without expires_at by no-expiry.",
    needs=(Needs.INVENTORY,),
    judges=is_active,
    thresholds=("expiring_soon_days",),
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Yield a finding for each active key expiring within ``expiring_soon_days``."""
    policy = inputs.policy
    as_of = inputs.as_of
    window = timedelta(days=policy.expiring_soon_days)
    for key in inputs.active_keys:
        if key.expires_at is None or not as_of < key.expires_at <= as_of + window:
            continue
        left = days_between(as_of, key.expires_at)
        yield key_finding(
            RULE,
            key,
            f"expires in {left:g} days",
            expires_at=key.expires_at,
            days_left=left,
            warning_days=policy.expiring_soon_days,
        )
