"""expiring-soon: an active key that expires within the warning window."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from toolkit.rules.interface import Finding, Needs, Severity, Tier
from toolkit.rules.model import Rule, active_keys, days_between, key_finding
from toolkit.rules.policy import Policy

if TYPE_CHECKING:
    from toolkit.models import KeyBase

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
    thresholds=("expiring_soon_days",),
)


def evaluate(keys: Sequence[KeyBase], policy: Policy, as_of: datetime) -> Iterator[Finding]:
    """Yield a finding for each active key expiring within ``expiring_soon_days``."""
    window = timedelta(days=policy.expiring_soon_days)
    for key in active_keys(keys):
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
