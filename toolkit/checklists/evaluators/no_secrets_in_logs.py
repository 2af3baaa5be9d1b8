"""No secrets in logs: the latest audit with a scan of log files found none there."""

from __future__ import annotations

from toolkit.checklists.evaluators import _runs
from toolkit.checklists.evaluators.interface import EvidenceContext, Outcome, Verdict
from toolkit.timeutil import ensure_utc

ID = "no-secrets-in-logs"
RULE_ID = "secret-in-logs"


def evaluate(ctx: EvidenceContext) -> Verdict:
    """Holds when the latest run that evaluated secret-in-logs has no open finding."""
    run = _runs.latest_evaluating(ctx.session, ctx.as_of, RULE_ID)
    if run is None:
        return Verdict(Outcome.NOT_ASSESSED, "no audit run has had scan results of log files yet")
    scans = [i.get("name") for i in run.inputs if i.get("kind") == "scan"]
    where = _runs.run_label(run)
    evidence = (where, "scan results: " + (", ".join(map(str, scans)) or "-"))
    found = _runs.open_findings(ctx.session, run, RULE_ID)
    if found:
        return Verdict(
            Outcome.FAILS,
            f"{len(found)} secret(s) found in log files ({where})",
            evidence,
            tuple(found[: _runs.FINDINGS_SHOWN]),
            ensure_utc(run.as_of),
        )
    return Verdict(
        Outcome.HOLDS,
        f"the log scan found no secret ({where})",
        evidence,
        evidence_at=ensure_utc(run.as_of),
    )
