"""What matters most comes first: lead findings, one urgent action per key, named owners."""

from __future__ import annotations

import re

from tests.reports.test_render import html_of
from toolkit.audit.result import FindingRecord, ResultDocument
from toolkit.reports.priorities import (
    LEAD_RULES,
    lead_findings,
    subject_of,
    urgent_actions,
    worst_findings,
)


def with_lead(doc: ResultDocument) -> tuple[ResultDocument, FindingRecord]:
    """The sample plus a (high, not critical) use-after-revocation finding on a dev key."""
    base = next(f for f in doc.findings if f.key and f.key.environment == "dev" and not f.waived)
    lead = base.model_copy(
        update={"id": "lead-1", "rule_id": "used-after-revocation", "severity": "high"}
    )
    return doc.model_copy(update={"findings": [*doc.findings, lead]}), lead


def test_lead_findings_are_the_lead_rules_with_key_and_owner(sample_doc: ResultDocument) -> None:
    assert lead_findings(sample_doc) == []
    doc, lead = with_lead(sample_doc)
    (named,) = lead_findings(doc)
    assert named.rule_id == "used-after-revocation" and named.rule_id in LEAD_RULES
    assert lead.key is not None
    assert (named.subject, named.owner) == (lead.key.key_id, lead.key.owner)
    assert "lead-1" not in {f.subject for f in worst_findings(doc)}
    assert all(item.rule_id not in LEAD_RULES for item in worst_findings(doc))


def test_summary_names_the_lead_finding_before_anything_else(sample_doc: ResultDocument) -> None:
    doc, lead = with_lead(sample_doc)
    summary = html_of(doc).split('id="summary"')[1].split("</section>")[0]
    assert lead.key is not None
    first = summary.index("First: what needs attention now")
    assert first < summary.index("Posture by framework") < summary.index("Most urgent actions")
    table = summary[first : summary.index("Posture by framework")]
    assert lead.key.key_id in table and str(lead.key.owner) in table


def test_summary_says_no_lead_finding_only_for_rules_it_could_judge(
    sample_doc: ResultDocument,
) -> None:
    summary = html_of(sample_doc).split('id="summary"')[1].split("</section>")[0]
    unjudged = [r for r in sample_doc.rules if r.id in LEAD_RULES and r.status != "evaluated"]
    assert unjudged  # the sample was audited without a scan
    assert "No open finding of an active root access key" in summary
    assert "among the rules that could be evaluated" in summary
    for rule in unjudged:
        assert f"{rule.title.lower()} ({rule.reason})" in summary


def test_urgent_actions_are_one_per_key_and_name_the_owner(sample_doc: ResultDocument) -> None:
    doc, lead = with_lead(sample_doc)
    actions = urgent_actions(doc)
    assert len(actions) == 5
    assert len({a.subject for a in actions}) == 5
    assert actions[0].severity == "critical"  # expired-active outranks the high lead finding
    assert lead.key is not None
    lead_action = next(a for a in actions if a.rule_id == "used-after-revocation")
    assert (lead_action.subject, lead_action.owner) == (lead.key.key_id, lead.key.owner)
    same_key = [f for f in doc.findings if not f.waived and subject_of(f) == subject_of(lead)]
    assert lead_action.others == len(same_key) - 1


def test_urgent_actions_in_the_report_name_key_and_owner(sample_doc: ResultDocument) -> None:
    html = html_of(sample_doc).split('class="actions"')[1].split("</ol>")[0]
    items = re.findall(r"<li>(.*?)</li>", html, re.S)
    assert len(items) == 5
    for item, action in zip(items, urgent_actions(sample_doc), strict=True):
        noun = "key" if action.keyed else "subject"
        assert f'{noun} <span class="mono">{action.subject}</span>' in item
        assert f"owner <strong>{action.owner or 'none on record'}</strong>" in item


def test_executive_report_says_what_was_not_evaluated(sample_doc: ResultDocument) -> None:
    html = html_of(sample_doc, audience="executive")
    part = re.sub(r"\s+", " ", html.split('id="not-evaluated"')[1].split("</section>")[0])
    skipped = [r for r in sample_doc.rules if r.status == "not_evaluated"]
    partial = [r for r in sample_doc.rules if r.not_evaluated_for]
    assert skipped
    for rule in [*skipped, *partial]:
        assert f'<span class="mono">{rule.id}</span>' in part
    for framework in sample_doc.frameworks:
        manual = sum(1 for c in framework.controls if c.status == "manual")
        if manual:
            noun = "control needs" if manual == 1 else "controls need"
            assert f"{framework.name}</strong>: {manual} {noun} a person's evidence" in part


def test_executive_report_lists_overdue_responses_with_owner_and_due_date(
    sample_doc: ResultDocument,
) -> None:
    overdue = [f for f in sample_doc.findings if f.response.overdue and not f.waived]
    assert 0 < len(overdue) <= 10
    html = html_of(sample_doc, audience="executive")
    part = html.split('id="overdue"')[1].split("</section>")[0]
    rows = part.split("<tbody>")[1].split("<tr>")[1:]
    assert len(rows) == len(overdue)
    for finding in overdue:
        assert finding.key is not None
        assert any(
            finding.key.key_id in row and str(finding.key.owner) in row and "overdue" in row
            for row in rows
        ), finding.id


def test_urgent_actions_carry_the_due_date_of_their_finding(sample_doc: ResultDocument) -> None:
    by_subject = {}
    for finding in sample_doc.findings:
        if not finding.waived and finding.key:
            by_subject.setdefault(finding.key.key_id, []).append(finding)
    for action in urgent_actions(sample_doc):
        found = [f for f in by_subject[action.subject] if f.rule_id == action.rule_id]
        assert action.due in {f.response.due for f in found}
        assert action.overdue == any(
            f.response.overdue for f in found if f.response.due == action.due
        )
