"""new-key-generated: a key created within the reporting day before the as-of time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier
from toolkit.rules.model import Rule, days_between, key_finding

RULE = Rule(
    id="new-key-generated",
    title="New key generated in the reporting day",
    severity=Severity.INFO,
    tier=Tier.DAILY,
    remediation="Confirm the key was requested and approved, and that its owner, purpose, scopes "
    "and expiry are recorded.",
    description="Keys (any state) whose created_at is after as-of minus new_key_window_hours and "
    "not after the as-of time: exactly 24 h before as-of is outside the day. Informational: the "
    "organisation's policy's daily alert 'New key generated'.",
    needs=(Needs.INVENTORY,),
    thresholds=("new_key_window_hours",),
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Yield a finding for each key created in the window ending at ``as_of``."""
    keys = inputs.keys
    policy = inputs.policy
    as_of = inputs.as_of
    start = as_of - timedelta(hours=policy.new_key_window_hours)
    for key in keys:
        if key.created_at is not None and start < key.created_at <= as_of:
            yield key_finding(
                RULE,
                key,
                f"created {days_between(key.created_at, as_of) * 24:g} hours before as-of",
                created_at=key.created_at,
                owner=key.owner,
                window_hours=policy.new_key_window_hours,
            )
