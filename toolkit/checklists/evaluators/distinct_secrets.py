"""Different secrets per environment: the latest audit found no value shared across them."""

from __future__ import annotations

from toolkit.checklists.evaluators import _runs
from toolkit.checklists.evaluators.interface import EvidenceContext, Outcome, Verdict
from toolkit.timeutil import ensure_utc

ID = "distinct-secrets-per-environment"
RULE_ID = "shared-across-environments"


def evaluate(ctx: EvidenceContext) -> Verdict:
    """Holds when the latest run evaluating shared-across-environments has no open finding."""
    run = _runs.latest_evaluating(ctx.session, ctx.as_of, RULE_ID)
    if run is None:
        return Verdict(Outcome.NOT_ASSESSED, f"no audit run has evaluated {RULE_ID} yet")
    found = _runs.open_findings(ctx.session, run, RULE_ID)
    where = _runs.run_label(run)
    if found:
        return Verdict(
            Outcome.FAILS,
            f"{len(found)} key(s) share a secret value with another environment ({where})",
            (where,),
            tuple(found[: _runs.FINDINGS_SHOWN]),
            ensure_utc(run.as_of),
        )
    return Verdict(
        Outcome.HOLDS,
        f"no key value is held in more than one environment ({where})",
        (where, f"rule {RULE_ID}: evaluated, 0 open findings"),
        evidence_at=ensure_utc(run.as_of),
    )
