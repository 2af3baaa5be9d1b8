"""Rotation schedule defined: the policy sets a rotation period for every inventory environment."""

from __future__ import annotations

from collections import Counter

from toolkit.checklists.evaluators.interface import EvidenceContext, Outcome, Verdict
from toolkit.ingest.inventory.values import key_values

ID = "rotation-schedule-defined"
NO_ENVIRONMENT = "(no environment)"


def active_environments(ctx: EvidenceContext) -> Counter[str]:
    """Active keys per environment (lower-cased as the policy reads it)."""
    keys = key_values(ctx.session)  # plain values: 100,000 ORM rows took 4.7 s
    return Counter(
        (key.environment or NO_ENVIRONMENT).lower()
        for key in keys
        if key.active and (key.created_at is None or key.created_at <= ctx.as_of)
    )


def evaluate(ctx: EvidenceContext) -> Verdict:
    """Holds when each environment of an active key has its own rotation period in the policy."""
    counts = active_environments(ctx)
    if not counts:
        return Verdict(Outcome.NOT_ASSESSED, "the inventory holds no active key")
    defined = ctx.policy.environments
    lines = tuple(
        f"{env}: {n} active key(s), "
        + (f"rotate every {defined[env].rotation_days} days" if env in defined else "no period")
        for env, n in sorted(counts.items())
    )
    missing = sorted(env for env in counts if env not in defined)
    if missing:
        return Verdict(
            Outcome.FAILS,
            f"no rotation period in the policy for: {', '.join(missing)} (their keys fall back "
            f"to the default of {ctx.policy.default_environment.rotation_days} days)",
            lines,
        )
    return Verdict(
        Outcome.HOLDS,
        f"the policy sets a rotation period for all {len(counts)} environment(s) in use",
        lines,
    )
