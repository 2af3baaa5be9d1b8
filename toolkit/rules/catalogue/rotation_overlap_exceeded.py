"""rotation-overlap-exceeded: an old key still active after its replacement's overlap window."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier
from toolkit.rules.model import Rule, days_between, key_finding

if TYPE_CHECKING:
    from toolkit.models import KeyBase

RULE = Rule(
    id="rotation-overlap-exceeded",
    title="Old key still active after its replacement's overlap window",
    severity=Severity.MEDIUM,
    tier=Tier.DAILY,
    remediation="Confirm the replacement works everywhere, then revoke the old key (the "
    "organisation's policy: 'Revoke old key after 24-48 hours').",
    description="Active keys named in another key's 'replaces' field (same provider) when more "
    "than rotation_overlap_hours have passed since the earliest such replacement was created; "
    "exactly at the limit passes. Replacements without created_at are ignored.",
    needs=(Needs.INVENTORY,),
    thresholds=("rotation_overlap_hours",),
)


def _replaced_at(keys: Sequence[KeyBase]) -> dict[tuple[str, str], tuple[datetime, str]]:
    """(provider, old key id) -> (earliest replacement's created_at, its key id)."""
    found: dict[tuple[str, str], tuple[datetime, str]] = {}
    for key in keys:
        if key.replaces and key.created_at is not None:
            slot = (key.provider, key.replaces)
            if slot not in found or key.created_at < found[slot][0]:
                found[slot] = (key.created_at, key.key_id)
    return found


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Yield a finding for each replaced key still active past the overlap window."""
    keys = inputs.keys
    policy = inputs.policy
    as_of = inputs.as_of
    overlap = timedelta(hours=policy.rotation_overlap_hours)
    replaced = _replaced_at(keys)
    for key in keys:
        hit = replaced.get((key.provider, key.key_id))
        if hit is None or not key.active or as_of - hit[0] <= overlap:
            continue
        hours = days_between(hit[0], as_of) * 24
        yield key_finding(
            RULE,
            key,
            f"still active {hours:g} hours after replacement {hit[1]} (limit "
            f"{policy.rotation_overlap_hours} h)",
            replaced_by=hit[1],
            replacement_created_at=hit[0],
            hours_since_replacement=round(hours, 2),
            overlap_hours=policy.rotation_overlap_hours,
        )
