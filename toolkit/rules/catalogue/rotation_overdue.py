"""rotation-overdue: a key over its environment's rotation period during the audit period."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier
from toolkit.rules.model import Rule, days_between, key_finding, provider_rotated
from toolkit.timeutil import ensure_utc

if TYPE_CHECKING:
    from toolkit.models import KeyBase


def in_use_until_known(key: KeyBase) -> bool:
    """The keys it judges (``Rule.judges``): active ones, and revoked ones with a revocation date
    (judged up to it when it falls in the audit period)."""
    return key.active or key.revoked_at is not None


RULE = Rule(
    id="rotation-overdue",
    title="Key not rotated within its environment's rotation period",
    severity=Severity.MEDIUM,
    tier=Tier.WEEKLY,
    remediation="Rotate the key (generate a replacement, deploy it, revoke this one) and put it on "
    "an automated rotation schedule.",
    description="Keys that were over their environment's rotation_days at any time in the audit "
    "period (the audit_period_days before the as-of time): keys active at the as-of time, and "
    "keys revoked during the period, judged up to their revocation. A key's age counts from its "
    "last rotation, else its creation; exactly at the limit passes. The inventory holds only the "
    "last rotation, so a key rotated in place during the period is judged from that rotation. "
    "Provider-rotated keys (GCP SYSTEM_MANAGED) and keys disabled without a date are out of "
    "scope. A key with neither date cannot be aged and fails with 'rotation date unknown'.",
    needs=(Needs.INVENTORY,),
    judges=in_use_until_known,
    thresholds=(
        "audit_period_days",
        "environments.*.rotation_days",
        "default_environment.rotation_days",
    ),
)


def in_period_until(key: KeyBase, period_start: datetime, as_of: datetime) -> datetime | None:
    """The last instant of the period the key was in use: as-of, its revocation, or None."""
    if key.revoked_at is not None:
        revoked = ensure_utc(key.revoked_at)
        return revoked if period_start < revoked < as_of else None
    return as_of if key.active else None


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Yield a finding for each key that was over its rotation period during the audit period."""
    as_of = inputs.as_of
    period_start = as_of - timedelta(days=inputs.policy.audit_period_days)
    limits: dict[str | None, tuple[int, timedelta]] = {}  # per environment, looked up once
    for key in inputs.keys:
        until = in_period_until(key, period_start, as_of)
        if until is None or provider_rotated(key):
            continue
        if (found := limits.get(key.environment)) is None:
            days = inputs.policy.environment(key.environment).rotation_days
            found = limits[key.environment] = (days, timedelta(days=days))
        limit, span = found
        since = key.last_rotated_at or key.created_at
        if since is None:
            yield key_finding(RULE, key, "rotation date unknown", rotation_days=limit)
        elif until - ensure_utc(since) > span:
            yield _overdue(key, ensure_utc(since), until, limit, revoked=until != as_of)


def _overdue(key: KeyBase, since: datetime, until: datetime, limit: int, revoked: bool) -> Finding:
    """The finding for a key over its limit from ``since + limit`` until ``until``."""
    due = since + timedelta(days=limit)
    age = days_between(since, until)
    if revoked:
        message = (
            f"over its {limit}-day rotation period from {due:%Y-%m-%d} until it was revoked on "
            f"{until:%Y-%m-%d} ({age:g} days without rotation)"
        )
    else:
        message = (
            f"not rotated for {age:g} days (limit {limit}); over its rotation period since "
            f"{due:%Y-%m-%d}"
        )
    ended = {"overdue_until": until} if revoked else {}
    return key_finding(
        RULE,
        key,
        message,
        last_rotated=since,
        age_days=age,
        rotation_days=limit,
        due_at=due,
        **ended,
    )
