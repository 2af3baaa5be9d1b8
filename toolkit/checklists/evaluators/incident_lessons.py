"""Procedure updates based on incidents: every closed incident has its lessons learned."""

from __future__ import annotations

from sqlmodel import col, select

from toolkit.checklists.evaluators.interface import EvidenceContext, Outcome, Verdict
from toolkit.store.tables import Incident
from toolkit.timeutil import ensure_utc, isoformat

ID = "incident-lessons-recorded"


def evaluate(ctx: EvidenceContext) -> Verdict:
    """Holds when no incident closed by ``ctx.as_of`` lacks lessons learned (saying how many)."""
    rows = ctx.session.exec(select(Incident).order_by(col(Incident.opened_at))).all()
    closed = [i for i in rows if i.closed_at is not None and ensure_utc(i.closed_at) <= ctx.as_of]
    lacking = [i for i in closed if not (i.lessons or "").strip()]
    lines = tuple(
        f"{i.ref} ({i.type}) closed {isoformat(i.closed_at)}: "
        + ("lessons recorded" if (i.lessons or "").strip() else "no lessons learned recorded")
        for i in closed
    )
    if lacking:
        refs = ", ".join(i.ref for i in lacking)
        return Verdict(
            Outcome.FAILS,
            f"{len(lacking)} closed incident(s) without lessons learned: {refs}",
            lines,
        )
    if not closed:
        return Verdict(
            Outcome.HOLDS,
            f"no incident had been closed by {isoformat(ctx.as_of)}, so no lessons are owed",
            (f"{len(rows)} incident(s) recorded, none closed",),
        )
    return Verdict(
        Outcome.HOLDS, f"all {len(closed)} closed incident(s) have lessons learned recorded", lines
    )
