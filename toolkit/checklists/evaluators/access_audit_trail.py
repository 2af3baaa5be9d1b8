"""Access audit trail enabled: logs reach into the last 24 hours and keyvigil's trail verifies."""

from __future__ import annotations

from datetime import datetime, timedelta

from toolkit.checklists.evaluators import _runs
from toolkit.checklists.evaluators.interface import EvidenceContext, Outcome, Verdict
from toolkit.timeutil import isoformat
from toolkit.trail import verify

ID = "access-audit-trail"
RECENT = timedelta(hours=24)
"""How close to the as-of time the access logs' last event must be."""


def _logs_end(ctx: EvidenceContext) -> tuple[str, datetime | None]:
    """The latest run that read access logs, and the time of its last event."""
    for run in _runs.runs_until(ctx.session, ctx.as_of):
        logs = _runs.document(run).get("logs") or {}
        if logs.get("events"):
            end = datetime.fromisoformat(str(logs["end"]).replace("Z", "+00:00"))
            return _runs.run_label(run), end
    return "", None


def evaluate(ctx: EvidenceContext) -> Verdict:
    """Holds when the trail verifies and the latest logs' last event is within 24 h of as-of."""
    chain = verify(ctx.session)
    trail = (
        f"keyvigil trail: intact, {chain.count} entries"
        if chain.ok
        else f"keyvigil trail: broken at entry {chain.bad_seq} ({chain.problem})"
    )
    where, end = _logs_end(ctx)
    if end is None:
        if not chain.ok:
            return Verdict(Outcome.FAILS, "the audit trail does not verify", (trail,))
        return Verdict(Outcome.NOT_ASSESSED, "no audit run has read access logs yet", (trail,))
    logs = f"access logs end {isoformat(end)} ({where})"
    gap = ctx.as_of - end
    problems = [] if chain.ok else ["the audit trail does not verify"]
    if gap > RECENT:
        hours = gap.total_seconds() / 3600
        problems.append(f"the access logs stop {hours:.0f} hours before the as-of time (limit 24)")
    if problems:
        return Verdict(Outcome.FAILS, "; ".join(problems), (logs, trail))
    return Verdict(
        Outcome.HOLDS,
        "access logs reach into the last 24 hours and the audit trail verifies",
        (logs, trail),
    )
