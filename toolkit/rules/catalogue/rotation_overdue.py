"""rotation-overdue: an active key not rotated within its environment's rotation period."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier
from toolkit.rules.model import (
    Rule,
    days_between,
    is_active,
    key_finding,
    provider_rotated,
)

RULE = Rule(
    id="rotation-overdue",
    title="Key not rotated within its environment's rotation period",
    severity=Severity.MEDIUM,
    tier=Tier.WEEKLY,
    remediation="Rotate the key (generate a replacement, deploy it, revoke this one) and put it on "
    "an automated rotation schedule.",
    description="Active keys (enabled, not revoked) whose last rotation - or creation, when never "
    "rotated - is more than rotation_days before the as-of time; exactly at the limit passes. "
    "Provider-rotated keys (GCP SYSTEM_MANAGED) are out of scope. A key with neither date cannot "
    "be aged and fails with 'rotation date unknown'.",
    needs=(Needs.INVENTORY,),
    judges=is_active,
    thresholds=("environments.*.rotation_days", "default_environment.rotation_days"),
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Yield a finding for each active key older than its environment's rotation period."""
    policy = inputs.policy
    as_of = inputs.as_of
    limits: dict[str | None, tuple[int, timedelta]] = {}  # environment -> days, as a span
    for key in inputs.active_keys:
        if provider_rotated(key):
            continue
        if (found := limits.get(key.environment)) is None:
            days = policy.environment(key.environment).rotation_days
            found = limits[key.environment] = (days, timedelta(days=days))
        limit, span = found
        since = key.last_rotated_at or key.created_at
        if since is None:
            yield key_finding(RULE, key, "rotation date unknown", rotation_days=limit)
        elif as_of - since > span:
            yield key_finding(
                RULE,
                key,
                f"not rotated for {days_between(since, as_of):g} days (limit {limit})",
                last_rotated=since,
                age_days=days_between(since, as_of),
                rotation_days=limit,
                due_at=since + timedelta(days=limit),
            )
