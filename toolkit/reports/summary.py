"""The report's judgements over a result document: posture, severity counts, worst first."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from toolkit.audit.result import FindingRecord, ResultDocument, RuleRecord
from toolkit.reports.context import SEVERITIES, Posture, RuleSection

ENV_RANK = {"prod": 0, "production": 0, "staging": 1, "dev": 2}
TIER_RANK = {"immediate": 0, "daily": 1, "weekly": 2}


def severity_rank(severity: str | None) -> int:
    """0 for critical ... 4 for info; unknown last."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def posture(doc: ResultDocument) -> list[Posture]:
    """Control counts per selected framework."""
    result = []
    for framework in doc.frameworks:
        counts = Counter(control.status for control in framework.controls)
        name = framework.name + (f" {framework.version}" if framework.version else "")
        result.append(
            Posture(
                framework_id=framework.id,
                name=name,
                holds=counts["holds"],
                fails=counts["fails"],
                manual=counts["manual"],
                not_evaluated=counts["not_evaluated"],
                total=len(framework.controls),
            )
        )
    return result


def severity_counts(doc: ResultDocument) -> list[tuple[str, int]]:
    """(severity, count) for every severity, most severe first."""
    by_severity = doc.summary.by_severity
    return [(severity, int(by_severity.get(severity, 0))) for severity in SEVERITIES]


def key_environment(finding: FindingRecord) -> str | None:
    """The environment of the finding's inventory key (None without one)."""
    return finding.key.environment if finding.key else None


def _magnitude(evidence: dict[str, Any]) -> float:
    """The largest number in the evidence (failures, days, events): bigger is worse."""
    numbers = [
        v for v in evidence.values() if isinstance(v, int | float) and not isinstance(v, bool)
    ]
    return float(max(numbers, default=0))


def worst_first(finding: FindingRecord) -> tuple[Any, ...]:
    """Sort key inside one rule: open before waived, most severe, prod, larger evidence first."""
    return (
        finding.waived,
        severity_rank(finding.severity),
        ENV_RANK.get(key_environment(finding) or "", 9),
        -_magnitude(finding.evidence),
        finding.subject or "",
    )


def unknown_rule(rule_id: str, found: list[FindingRecord]) -> RuleRecord:
    """A placeholder entry for findings of a rule the document does not describe."""
    return RuleRecord.model_construct(
        id=rule_id,
        title=rule_id,
        severity=found[0].severity,
        tier=found[0].tier or "",
        remediation="",
        description="",
        needs=[],
        thresholds={},
        status="evaluated",
        reason=None,
        findings=len(found),
    )


def worst_severity(found: Iterable[FindingRecord]) -> str:
    """The most severe severity among ``found`` (findings carry their own, not only the rule's)."""
    return min((f.severity for f in found), key=severity_rank)


def rule_sections(doc: ResultDocument, capped: bool, cap: int) -> list[RuleSection]:
    """Findings grouped by rule, the group with the worst finding first; each rule's worst ``cap``.

    A rule's findings may be more severe than the rule itself (a key used after expiry is
    critical when a call succeeded), so groups rank and badge by their worst finding.
    """
    groups: dict[str, list[FindingRecord]] = {}
    for finding in doc.findings:
        groups.setdefault(finding.rule_id, []).append(finding)
    rules = {rule.id: rule for rule in doc.rules}
    sections = []
    for rule_id, found in groups.items():
        rule = rules.get(rule_id) or unknown_rule(rule_id, found)
        ordered = sorted(found, key=worst_first)
        shown = ordered[:cap] if capped else ordered
        sections.append(
            RuleSection(
                rule=rule,
                worst=worst_severity(found),
                findings=shown,
                hidden=len(found) - len(shown),
                total=len(found),
            )
        )
    sections.sort(key=lambda s: (severity_rank(s.worst), -s.total, s.rule.id))
    return sections


def flatten_policy(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """A nested policy as (dotted key, value) rows, sorted."""
    if isinstance(value, dict) and value:
        rows: list[tuple[str, Any]] = []
        for key in sorted(value):
            rows.extend(flatten_policy(value[key], f"{prefix}.{key}" if prefix else str(key)))
        return rows
    if isinstance(value, list):
        return [(prefix, ", ".join(str(v) for v in value) or "-")]
    if isinstance(value, bool):
        return [(prefix, "yes" if value else "no")]
    return [(prefix, value)]
