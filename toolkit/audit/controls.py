"""Control status per framework: fails, holds, not evaluated, or manual (RESULT_CONTRACT.md)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from toolkit.audit.coverage import FULL, NONE, PARTIAL, Populations, coverage_of, tested
from toolkit.audit.result import (
    AttestationRecord,
    ControlRecord,
    ControlStatus,
    Coverage,
    FindingRecord,
    FrameworkRecord,
    GuardrailRecord,
    TestedRecord,
)
from toolkit.rules.frameworks import Control, Framework
from toolkit.rules.guardrails import Guardrail

FAILS: ControlStatus = "fails"
HOLDS: ControlStatus = "holds"
NOT_EVALUATED: ControlStatus = "not_evaluated"
MANUAL: ControlStatus = "manual"


def control_status(
    control: Control, records: Sequence[TestedRecord], coverage: Coverage, open_findings: int
) -> ControlStatus:
    """``fails`` on an unwaived finding in scope; ``holds`` only on full coverage;
    ``not_evaluated`` when a rule lacked its input or could not judge some key; ``manual`` when
    no rule maps to it, none is in scope (no key marked cardholder_data), or its evidence
    covers the requirement only in part."""
    if control.manual:
        return MANUAL
    if open_findings:
        return FAILS
    if coverage == FULL:
        return HOLDS
    if coverage == NONE and all(r.population == 0 and r.unit == "keys" for r in records):
        return MANUAL if control.scope == "cardholder-data" else NOT_EVALUATED
    if any(r.coverage == NONE or (r.coverage == PARTIAL and r.unit != "folders") for r in records):
        return NOT_EVALUATED
    return MANUAL


def in_scope_counts(
    control: Control, pops: Populations, by_rule: Mapping[str, list[FindingRecord]]
) -> tuple[Counter[str], int]:
    """Findings per mapped rule within the control's scope, and how many of them are waived
    (all of a rule's findings unless the control judges only marked keys)."""
    total: Counter[str] = Counter()
    waived = 0
    for rule in control.rules:
        found = by_rule.get(rule, [])
        if control.scope != "all-keys":
            found = [f for f in found if pops.in_scope(control, f)]
        total[rule] = len(found)
        waived += sum(1 for f in found if f.waiver is not None and f.waiver.state == "waived")
    return total, waived


def control_record(
    control: Control,
    pops: Populations,
    by_rule: Mapping[str, list[FindingRecord]],
    guardrails: list[GuardrailRecord],
    attestations: list[AttestationRecord] | None = None,
) -> ControlRecord:
    """One control as it appears in the result document (attestations: manual ones only)."""
    total, waived = in_scope_counts(control, pops, by_rule)
    findings = sum(total.values())
    records = tested(control, pops, total)
    coverage, note = coverage_of(control, records)
    status = control_status(control, records, coverage, findings - waived)
    return ControlRecord.model_construct(
        id=control.id,
        title=control.title,
        statement=control.statement,
        citation=control.citation,
        coverage=coverage,
        coverage_note=note,
        rationale=control.rationale,
        rules=list(control.rules),
        scope=control.scope,
        status=status,
        tested=records,
        findings=findings,
        waived=waived,
        thresholds=dict(sorted(control.thresholds.items())),
        guardrails=guardrails,
        organisation_choice=control.organisation_choice,
        attestations=list(attestations or []) if status == MANUAL else [],
    )


def frameworks_section(
    frameworks: list[Framework],
    pops: Populations,
    findings: list[FindingRecord],
    guardrails: list[Guardrail],
    attested: Mapping[tuple[str, str], list[AttestationRecord]] | None = None,
) -> list[FrameworkRecord]:
    """Every selected framework with the status of each of its controls; manual controls carry
    the checklist attestations in force that evidence them."""
    attested = attested or {}
    by_rule: dict[str, list[FindingRecord]] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule_id, []).append(finding)
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
                    pops,
                    by_rule,
                    by_control.get((framework.id, control.id), []),
                    attested.get((framework.id, control.id)),
                )
                for control in framework.controls
            ],
        )
        for framework in frameworks
    ]
