"""weak-key: a key whose known entropy is below the policy minimum."""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier
from toolkit.rules.model import Rule, is_active, key_finding

RULE = Rule(
    id="weak-key",
    title="Key entropy below the minimum",
    severity=Severity.HIGH,
    tier=Tier.WEEKLY,
    remediation="Replace the key with one from a cryptographically secure generator with at least "
    "the minimum entropy (e.g. `keyvigil keys rotate`), then revoke this one.",
    description="Active keys whose entropy_bits (estimated at ingest from the value, which is then "
    "dropped) is below min_entropy_bits; exactly the minimum passes. Keys whose entropy is not "
    "known (the inventory carried no value) are not judged.",
    needs=(Needs.INVENTORY,),
    judges=is_active,
    thresholds=("min_entropy_bits",),
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Yield a finding for each active key with known entropy under the minimum."""
    policy = inputs.policy
    for key in inputs.active_keys:
        if key.entropy_bits is not None and key.entropy_bits < policy.min_entropy_bits:
            yield key_finding(
                RULE,
                key,
                f"about {key.entropy_bits:g} bits of entropy (minimum {policy.min_entropy_bits})",
                entropy_bits=key.entropy_bits,
                min_entropy_bits=policy.min_entropy_bits,
            )
