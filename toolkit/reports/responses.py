"""The report's management-response section and sign-off block, from the result document."""

from __future__ import annotations

from toolkit.audit.result import FindingRecord, ResultDocument
from toolkit.reports.context import SEVERITIES, ResponseSection

STATUS_WORDS = {
    "open": "open",
    "in_progress": "in progress",
    "fixed": "fixed",
    "risk_accepted": "risk accepted",
}
"""Response statuses as the report writes them."""
LARGE_RUN_ROWS = 200
"""Responses a large (capped) run's section lists; the rest are in the attachments."""
CHOICES = ("remediation_days.",)
"""Policy keys that are the organisation's own choice (the policy names no number for them)."""


def _order(finding: FindingRecord) -> tuple[bool, str, int, str, str]:
    """Overdue first, then the earliest due date, the most severe, rule and subject."""
    r = finding.response
    return (
        not r.overdue,
        r.due,
        SEVERITIES.index(finding.severity),
        finding.rule_id,
        finding.subject,
    )


def response_section(doc: ResultDocument, capped: bool) -> ResponseSection:
    """The open (unwaived) findings with their responses; a large run lists the first 200."""
    open_findings = sorted((f for f in doc.findings if not f.waived), key=_order)
    shown = open_findings[:LARGE_RUN_ROWS] if capped else open_findings
    policy = doc.policy.get("remediation_days")
    days = policy if isinstance(policy, dict) else {}
    return ResponseSection(
        rows=shown,
        hidden=len(open_findings) - len(shown),
        overdue=doc.summary.overdue,
        statuses=[
            (words, sum(1 for f in open_findings if f.response.status == status))
            for status, words in STATUS_WORDS.items()
        ],
        days=[(s, v) for s in SEVERITIES if isinstance(v := days.get(s), int)],
    )


def labelled_policy(rows: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """Policy table rows with the organisation's own choices marked as such."""
    return [
        (name, f"{value} (organisation's choice)" if name.startswith(CHOICES) else value)
        for name, value in rows
    ]
