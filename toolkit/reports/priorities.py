"""What matters most first: the findings that lead the summary and the most urgent actions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from toolkit.audit.result import FindingRecord, ResultDocument, RuleRecord
from toolkit.reports.context import Action, NamedFinding
from toolkit.reports.summary import ENV_RANK, TIER_RANK, key_environment, severity_rank

LEAD_RULES = (
    "root-access-key",
    "used-after-revocation",
    "used-after-expiry",
    "inventoried-key-exposed",
    "provider-reported-exposed",
)
"""Rules whose open findings come first in the summary, whatever their count."""

WORST = 10
"""Open findings listed by the executive report."""


def named(finding: FindingRecord, rules: dict[str, RuleRecord]) -> NamedFinding:
    """A finding named for a reader: its rule's title, its key (or subject) and owner."""
    rule = rules.get(finding.rule_id)
    key = finding.key
    return NamedFinding(
        severity=finding.severity,
        rule_id=finding.rule_id,
        title=rule.title if rule else finding.rule_id,
        subject=key.key_id if key else finding.subject,
        owner=key.owner if key else None,
        environment=key_environment(finding) or finding.environment,
        message=finding.message,
        waived=finding.waived,
        due=finding.response.due,
        overdue=finding.response.overdue,
    )


def rules_by_id(doc: ResultDocument) -> dict[str, RuleRecord]:
    """The document's rules by id."""
    return {rule.id: rule for rule in doc.rules}


def urgency(finding: FindingRecord) -> tuple[int, int, int, int, str, str]:
    """Sort key: severity, lead rule, alert tier, production first, then rule and subject."""
    lead = LEAD_RULES.index(finding.rule_id) if finding.rule_id in LEAD_RULES else len(LEAD_RULES)
    return (
        severity_rank(finding.severity),
        lead,
        TIER_RANK.get(finding.tier or "", 3),
        ENV_RANK.get(key_environment(finding) or "", 9),
        finding.rule_id,
        finding.subject,
    )


def open_findings(doc: ResultDocument) -> list[FindingRecord]:
    """Findings not covered by a waiver in force, most urgent first."""
    return sorted((f for f in doc.findings if not f.waived), key=urgency)


def lead_findings(doc: ResultDocument) -> list[NamedFinding]:
    """Open findings of the lead rules (root key, use after revocation/expiry, exposure)."""
    rules = rules_by_id(doc)
    return [named(f, rules) for f in open_findings(doc) if f.rule_id in LEAD_RULES]


def worst_findings(doc: ResultDocument, limit: int = WORST) -> list[NamedFinding]:
    """The ``limit`` most urgent open findings after the lead ones (the summary lists those)."""
    rules = rules_by_id(doc)
    rest = [f for f in open_findings(doc) if f.rule_id not in LEAD_RULES]
    return [named(f, rules) for f in rest[:limit]]


def overdue_findings(doc: ResultDocument) -> list[NamedFinding]:
    """Open findings whose management response is overdue, most urgent first."""
    rules = rules_by_id(doc)
    return [named(f, rules) for f in open_findings(doc) if f.response.overdue]


def subject_of(finding: FindingRecord) -> tuple[str, str]:
    """What an action is about: the inventory key (provider, id), else the finding's subject."""
    if finding.key:
        return (finding.key.provider, finding.key.key_id)
    return (finding.provider or "", finding.subject)


def by_subject(findings: Iterable[FindingRecord]) -> dict[tuple[str, str], list[FindingRecord]]:
    """Findings grouped by key (or subject), groups and findings in order of urgency."""
    groups: dict[tuple[str, str], list[FindingRecord]] = {}
    for finding in sorted(findings, key=urgency):
        groups.setdefault(subject_of(finding), []).append(finding)
    return groups


def action_for(found: Sequence[FindingRecord], rules: dict[str, RuleRecord]) -> Action:
    """The action for one key: fix its most urgent finding, counting the others."""
    first = named(found[0], rules)
    rule = rules.get(first.rule_id)
    return Action(
        severity=first.severity,
        headline=first.title,
        detail=(rule.remediation if rule else "") or "",
        rule_id=first.rule_id,
        subject=first.subject,
        owner=first.owner,
        environment=first.environment,
        others=len(found) - 1,
        keyed=found[0].key is not None,
        due=first.due,
        overdue=first.overdue,
    )


def urgent_actions(doc: ResultDocument, limit: int = 5) -> list[Action]:
    """The ``limit`` most urgent actions, one per key (or subject), each naming key and owner."""
    rules = rules_by_id(doc)
    groups = by_subject(f for f in doc.findings if not f.waived)
    return [action_for(found, rules) for found in list(groups.values())[:limit]]


def lead_not_evaluated(doc: ResultDocument) -> list[RuleRecord]:
    """Lead rules not evaluated for want of input (their silence proves nothing)."""
    return [rule for rule in doc.rules if rule.id in LEAD_RULES and rule.status != "evaluated"]
