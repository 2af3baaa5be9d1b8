"""expired-active: a key past its expiry date that has not been revoked."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from toolkit.rules.interface import Finding, Needs, Severity, Tier
from toolkit.rules.model import Rule, active_keys, days_between, key_finding
from toolkit.rules.policy import Policy

if TYPE_CHECKING:
    from toolkit.models import KeyBase

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
)


def evaluate(keys: Sequence[KeyBase], policy: Policy, as_of: datetime) -> Iterator[Finding]:
    """Yield a finding for each active key whose ``expires_at`` has passed."""
    for key in active_keys(keys):
        if key.expires_at is not None and key.expires_at <= as_of:
            yield key_finding(
                RULE,
                key,
                f"expired {days_between(key.expires_at, as_of):g} days ago, not revoked",
                expires_at=key.expires_at,
                days_expired=days_between(key.expires_at, as_of),
            )
