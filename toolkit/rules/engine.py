"""Evaluate the whole rule catalogue over keys (and logs, scan results when given)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from toolkit.rules.catalogue import RULES
from toolkit.rules.interface import Finding, RuleInputs, Severity, Unjudged
from toolkit.timeutil import ensure_utc

EVALUATED = "evaluated"
NOT_EVALUATED = "not_evaluated"


@dataclass(frozen=True)
class Evaluation:
    """The outcome of one catalogue evaluation.

    ``findings`` are sorted by severity rank, rule id, subject; ``status`` says for every rule id
    whether it was evaluated, ``reasons`` why not (only for rules not evaluated); ``unjudged``
    lists, per evaluated rule, the subjects it could not judge and why.
    """

    findings: list[Finding]
    status: dict[str, str]
    reasons: dict[str, str] = field(default_factory=dict)
    unjudged: dict[str, list[Unjudged]] = field(default_factory=dict)

    def evaluated(self, rule_id: str) -> bool:
        """True when the rule ran (a rule that did not run never counts as passing)."""
        return self.status.get(rule_id) == EVALUATED


def sort_key(finding: Finding) -> tuple[int, str, str, str, str]:
    """Order of findings everywhere: most severe first, then rule id, subject, provider, message."""
    return (
        Severity(finding.severity).rank,
        finding.rule_id,
        finding.subject,
        finding.provider or "",
        finding.message,
    )


def merge_same_subject(findings: list[Finding]) -> list[Finding]:
    """One finding per (rule, provider, subject): several hits (a key seen from two new places,
    two gaps in the logs) become one finding whose evidence lists each occurrence.

    This keeps a finding's stable id (rule + subject) unique within a run.
    """
    groups: dict[tuple[str, str, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.rule_id, finding.provider or "", finding.subject), []).append(
            finding
        )
    merged = []
    for group in groups.values():
        if len(group) == 1:
            merged.append(group[0])
            continue
        group.sort(key=sort_key)
        first = group[0]
        occurrences = [dict(f.evidence, message=f.message, severity=str(f.severity)) for f in group]
        merged.append(
            replace(
                first,
                message=f"{first.message} (+{len(group) - 1} more)",
                evidence={"occurrences": occurrences, "count": len(group)},
            )
        )
    return merged


def evaluate_rules(inputs: RuleInputs, rule_ids: Sequence[str] | None = None) -> Evaluation:
    """Run every rule (or only ``rule_ids``) whose inputs are given; mark the rest not evaluated."""
    inputs = replace(inputs, as_of=ensure_utc(inputs.as_of))
    findings: list[Finding] = []
    status: dict[str, str] = {}
    reasons: dict[str, str] = {}
    unjudged: dict[str, list[Unjudged]] = {}
    for rule_id, module in RULES.items():
        if rule_ids is not None and rule_id not in rule_ids:
            continue
        missing = [r for r in (inputs.missing(need) for need in module.RULE.needs) if r]
        if missing:
            status[rule_id], reasons[rule_id] = NOT_EVALUATED, missing[0]
            continue
        for item in module.evaluate(inputs):
            if isinstance(item, Unjudged):
                unjudged.setdefault(rule_id, []).append(item)
            else:
                findings.append(item)
        status[rule_id] = EVALUATED
    merged = sorted(merge_same_subject(findings), key=sort_key)
    return Evaluation(findings=merged, status=status, reasons=reasons, unjudged=unjudged)
