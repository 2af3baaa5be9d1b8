"""unused: an active key not used within its environment's unused period."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from toolkit.keyfacts import last_use_recorded
from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier, Unjudged
from toolkit.rules.model import (
    Rule,
    days_between,
    is_active,
    key_finding,
    key_unjudged,
    provider_rotated,
)

RULE = Rule(
    id="unused",
    title="Active key not used within its environment's unused period",
    severity=Severity.MEDIUM,
    tier=Tier.DAILY,
    remediation="Confirm with the owner whether the key is still needed; revoke it if not "
    "(the organisation's policy: 'Revoke unused keys').",
    description="Active keys whose last use - the later of the inventory's last_used_at and the "
    "last event the access logs show for the key - or creation, for keys never used, is more "
    "than unused_days (default: the environment's rotation period) before the as-of time; "
    "exactly at the limit passes. Provider-managed keys (GCP SYSTEM_MANAGED) are out of scope. "
    "A never-used key with no creation date fails with 'last use unknown'. Keys whose source "
    "records no last use (GCP and Azure listings, AWS list-access-keys without "
    "a credential report) and that no access log shows are not judged: "
    "'usage unknown: no access logs for this key'.",
    needs=(Needs.INVENTORY,),
    judges=is_active,
    thresholds=("environments.*.unused_days", "default_environment.unused_days"),
)

USAGE_UNKNOWN = "usage unknown: no access logs for this key"


def evaluate(inputs: RuleInputs) -> Iterator[Finding | Unjudged]:
    """Yield a finding for each active key idle for longer than its environment allows."""
    policy = inputs.policy
    as_of = inputs.as_of
    limits: dict[str | None, tuple[int, timedelta]] = {}  # environment -> days, as a span
    for key in inputs.active_keys:
        if provider_rotated(key):
            continue
        if key.last_used_at is None and not last_use_recorded(key.attributes):
            yield key_unjudged(RULE, key, USAGE_UNKNOWN)
            continue
        if (found := limits.get(key.environment)) is None:
            days = policy.environment(key.environment).unused_limit
            found = limits[key.environment] = (days, timedelta(days=days))
        limit, span = found
        since = key.last_used_at or key.created_at
        never = key.last_used_at is None
        if since is None:
            yield key_finding(RULE, key, "last use unknown", unused_days=limit)
        elif as_of - since > span:
            idle = days_between(since, as_of)
            what = "never used; created" if never else "last used"
            yield key_finding(
                RULE,
                key,
                f"{what} {idle:g} days ago (limit {limit})",
                last_used_at=key.last_used_at,
                created_at=key.created_at,
                never_used=never,
                idle_days=idle,
                unused_days=limit,
            )
