"""Control status per framework: fails, holds, not evaluated, or manual (RESULT_CONTRACT.md)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from toolkit.audit.result import (
    AttestationRecord,
    ControlRecord,
    ControlStatus,
    FindingRecord,
    FrameworkRecord,
    GuardrailRecord,
    RuleRecord,
)
from toolkit.rules.frameworks import Control, Framework
from toolkit.rules.guardrails import Guardrail

FAILS: ControlStatus = "fails"
HOLDS: ControlStatus = "holds"
NOT_EVALUATED: ControlStatus = "not_evaluated"
MANUAL: ControlStatus = "manual"


def control_status(
    control: Control, evaluated: set[str], open_by_rule: Counter[str]
) -> ControlStatus:
    """``fails`` if a mapped rule has an unwaived finding; ``holds`` if all ran clean over every
    subject; ``not_evaluated`` if one did not run (or could not judge some subject) and none
    fails; ``manual`` if no rule maps to it."""
    if control.manual:
        return MANUAL
    if any(open_by_rule[rule] for rule in control.rules):
        return FAILS
    if all(rule in evaluated for rule in control.rules):
        return HOLDS
    return NOT_EVALUATED


def control_record(
    control: Control,
    status: ControlStatus,
    total: Counter[str],
    waived: Counter[str],
    guardrails: list[GuardrailRecord],
    attestations: list[AttestationRecord] | None = None,
) -> ControlRecord:
    """One control as it appears in the result document (attestations: manual ones only)."""
    return ControlRecord.model_construct(
        id=control.id,
        title=control.title,
        statement=control.statement,
        citation=control.citation,
        rules=list(control.rules),
        status=status,
        findings=sum(total[r] for r in control.rules),
        waived=sum(waived[r] for r in control.rules),
        thresholds=dict(sorted(control.thresholds.items())),
        guardrails=guardrails,
        organisation_choice=control.organisation_choice,
        attestations=list(attestations or []) if control.manual else [],
    )


def frameworks_section(
    frameworks: list[Framework],
    rules: list[RuleRecord],
    findings: list[FindingRecord],
    guardrails: list[Guardrail],
    attested: Mapping[tuple[str, str], list[AttestationRecord]] | None = None,
) -> list[FrameworkRecord]:
    """Every selected framework with the status of each of its controls; manual controls carry
    the checklist attestations in force that evidence them."""
    attested = attested or {}
    evaluated = {r.id for r in rules if r.status == "evaluated" and not r.not_evaluated_for}
    total = Counter(f.rule_id for f in findings)
    waived = Counter(f.rule_id for f in findings if f.waived)
    open_by_rule = total - waived
    by_control: dict[tuple[str, str], list[GuardrailRecord]] = {}
    for guardrail in guardrails:
        by_control.setdefault((guardrail.framework, guardrail.control), []).append(
            GuardrailRecord.model_construct(**guardrail.for_control())
        )
    return [
        FrameworkRecord.model_construct(
            id=framework.id,
            name=framework.name,
            version=framework.version,
            source=framework.source,
            controls=[
                control_record(
                    control,
                    control_status(control, evaluated, open_by_rule),
                    total,
                    waived,
                    by_control.get((framework.id, control.id), []),
                    attested.get((framework.id, control.id)),
                )
                for control in framework.controls
            ],
        )
        for framework in frameworks
    ]
