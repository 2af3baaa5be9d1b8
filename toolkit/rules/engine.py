"""Evaluate the whole rule catalogue over keys (and logs, scan results when given)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from toolkit.rules.catalogue import RULES, rule_kind
from toolkit.rules.interface import Finding, Severity
from toolkit.rules.policy import Policy
from toolkit.timeutil import ensure_utc

if TYPE_CHECKING:
    from toolkit.models import KeyBase

EVALUATED = "evaluated"
NOT_EVALUATED = "not_evaluated"
REASONS = {"logs": "no access logs given", "scan": "no scan results given"}
"""Why a rule of each kind is not evaluated when its input is missing."""


@dataclass(frozen=True)
class Evaluation:
    """The outcome of one catalogue evaluation.

    ``findings`` are sorted by severity rank, rule id, subject; ``status`` says for every rule id
    whether it was evaluated, ``reasons`` why not (only for rules not evaluated).
    """

    findings: list[Finding]
    status: dict[str, str]
    reasons: dict[str, str] = field(default_factory=dict)

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


def _inputs(analytics: Any, scan: Any) -> dict[str, Any]:
    """What each kind of rule is called with besides keys, policy and as-of (None: missing)."""
    return {"inventory": (), "logs": analytics, "scan": scan}


def evaluate_rules(
    keys: Sequence[KeyBase],
    policy: Policy,
    as_of: datetime,
    analytics: Any = None,
    scan: Any = None,
    rule_ids: Sequence[str] | None = None,
) -> Evaluation:
    """Run every rule (or only ``rule_ids``) whose input is present; mark the rest not evaluated.

    ``analytics`` is a ``toolkit.analytics.run.AnalyticsResult`` (log rules), ``scan`` a
    ``toolkit.scan.results.ScanResults`` (scan rules).
    """
    as_of = ensure_utc(as_of)
    inputs = _inputs(analytics, scan)
    findings: list[Finding] = []
    status: dict[str, str] = {}
    reasons: dict[str, str] = {}
    for rule_id, module in RULES.items():
        if rule_ids is not None and rule_id not in rule_ids:
            continue
        kind = rule_kind(module)
        given = inputs[kind]
        if given is None:
            status[rule_id], reasons[rule_id] = NOT_EVALUATED, REASONS[kind]
            continue
        if kind == "inventory":
            findings.extend(module.evaluate(keys, policy, as_of))
        elif kind == "logs":
            findings.extend(module.from_analytics(given, keys, policy, as_of))
        else:
            findings.extend(module.from_scan(given, keys, policy, as_of))
        status[rule_id] = EVALUATED
    merged = merge_same_subject(findings)
    return Evaluation(findings=sorted(merged, key=sort_key), status=status, reasons=reasons)
