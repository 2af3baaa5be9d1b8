"""Quarterly key rotation audit: an audit run exists within the last 92 days."""

from __future__ import annotations

from datetime import timedelta

from toolkit.checklists.evaluators import _runs
from toolkit.checklists.evaluators.interface import EvidenceContext, Outcome, Verdict
from toolkit.timeutil import ensure_utc, isoformat

ID = "recent-audit-run"
WITHIN = timedelta(days=92)
"""A quarter, as the seed's quarterly review asks."""


def evaluate(ctx: EvidenceContext) -> Verdict:
    """Holds when the latest audit run's as-of time is within 92 days before ``ctx.as_of``."""
    runs = _runs.runs_until(ctx.session, ctx.as_of)
    if not runs:
        return Verdict(Outcome.FAILS, "no audit run has been recorded")
    latest = runs[0]
    age = ctx.as_of - ensure_utc(latest.as_of)
    where = _runs.run_label(latest)
    rotation = "rotation-overdue: " + (
        "evaluated" if _runs.evaluated(latest, "rotation-overdue") else "not evaluated"
    )
    if age > WITHIN:
        due = isoformat(ensure_utc(latest.as_of) + WITHIN)
        return Verdict(
            Outcome.FAILS,
            f"the latest audit is {age.days} days old (limit 92); one was due by {due}",
            (where, rotation),
        )
    return Verdict(
        Outcome.HOLDS,
        f"the latest audit is {age.days} days old (limit 92)",
        (where, rotation, f"{len(runs)} audit run(s) recorded"),
    )
