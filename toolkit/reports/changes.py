"""The change since the previous run of the same scope: counts, and the findings named."""

from __future__ import annotations

from toolkit.audit.diff import FindingBrief, RunDiff, diff_documents
from toolkit.audit.result import ResultDocument, RuleRecord
from toolkit.reports.context import Change, NamedFinding
from toolkit.reports.priorities import named, rules_by_id
from toolkit.reports.summary import severity_rank


def resolved_named(brief: FindingBrief, doc: ResultDocument) -> NamedFinding:
    """A resolved finding named: its owner is the key's owner in this run, if the key is here."""
    rules: dict[str, RuleRecord] = rules_by_id(doc)
    rule = rules.get(brief.rule_id)
    keys = [key for key in doc.keys if key.key_id == brief.subject]
    key = keys[0] if len(keys) == 1 else None
    return NamedFinding(
        severity=brief.severity,
        rule_id=brief.rule_id,
        title=rule.title if rule else brief.rule_id,
        subject=brief.subject,
        owner=key.owner if key else None,
        environment=key.environment if key else None,
        message=brief.message,
        waived=brief.waiver == "waived",
    )


def _order(item: NamedFinding) -> tuple[int, str, str]:
    """Worst first, then by rule and subject."""
    return (severity_rank(item.severity), item.rule_id, item.subject)


def change_from_diff(
    diff: RunDiff | None, label: str | None, doc: ResultDocument | None = None
) -> Change | None:
    """New, resolved and persisting findings from an ``audit diff`` result, named from ``doc``."""
    if diff is None:
        return None
    new, resolved = [], []
    if doc is not None:
        rules = rules_by_id(doc)
        ids = {brief.id for brief in diff.new}
        new = sorted((named(f, rules) for f in doc.findings if f.id in ids), key=_order)
        resolved = sorted((resolved_named(b, doc) for b in diff.resolved), key=_order)
    return Change(
        previous_run=label or diff.before.as_of,
        new=len(diff.new),
        resolved=len(diff.resolved),
        persisting=len(diff.persisting),
        new_named=new,
        resolved_named=resolved,
    )


def change_since(
    doc: ResultDocument, previous: ResultDocument | None, label: str | None
) -> Change | None:
    """The change from the previous run's document to ``doc`` (None without one)."""
    return change_from_diff(diff_documents(previous, doc), label, doc) if previous else None
