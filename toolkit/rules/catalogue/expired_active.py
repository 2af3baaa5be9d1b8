"""expired-active: a key past its expiry date that has not been revoked."""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier
from toolkit.rules.model import Rule, days_between, is_active, key_finding

RULE = Rule(
    id="expired-active",
    title="Key past its expiry date is still active",
    severity=Severity.HIGH,
    tier=Tier.DAILY,
    remediation="Revoke the expired key (documenting why) and confirm nothing still uses it.",
    description="Active keys (enabled, not revoked) whose expires_at is at or before the as-of "
    "time. Providers that enforce expiry still list such keys; the inventory must record them "
    "revoked or disabled.",
    needs=(Needs.INVENTORY,),
    judges=is_active,
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Yield a finding for each active key whose ``expires_at`` has passed."""
    as_of = inputs.as_of
    for key in inputs.active_keys:
        if key.expires_at is not None and key.expires_at <= as_of:
            yield key_finding(
                RULE,
                key,
                f"expired {days_between(key.expires_at, as_of):g} days ago, not revoked",
                expires_at=key.expires_at,
                days_expired=days_between(key.expires_at, as_of),
            )
