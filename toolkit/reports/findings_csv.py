"""The findings table as CSV: one row per finding, every cell safe to open in a spreadsheet.

The ``csv`` exporter writes it and the PDF report attaches it (``findings.csv``).
"""

from __future__ import annotations

import json
from typing import Any

from toolkit.audit.result import FindingRecord, ResultDocument
from toolkit.csvsafe import csv_text, neutralise

__all__ = ["COLUMNS", "control_index", "findings_csv", "neutralise", "row"]

COLUMNS = (
    "finding_id",
    "severity",
    "tier",
    "rule_id",
    "subject",
    "key_name",
    "owner",
    "environment",
    "provider",
    "message",
    "controls",
    "waiver_state",
    "waiver_id",
    "waiver_owner",
    "waiver_reason",
    "waiver_expires_at",
    "response_owner",
    "response_due",
    "response_status",
    "response_overdue",
    "response_note",
    "evidence",
)
"""The header row, in order."""


def control_index(doc: ResultDocument) -> dict[str, list[str]]:
    """rule id -> ``framework:control`` ids that the rule evidences, in report order."""
    index: dict[str, list[str]] = {}
    for framework in doc.frameworks:
        for control in framework.controls:
            for rule in control.rules:
                index.setdefault(rule, []).append(f"{framework.id}:{control.id}")
    return index


EVIDENCE_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False).encode
"""``json.dumps(value, sort_keys=True, ensure_ascii=False)``, its encoder made once."""


def row(finding: FindingRecord, controls: dict[str, list[str]]) -> list[Any]:
    """One finding as a CSV row (``csv_text`` neutralises every cell)."""
    key, waiver, response = finding.key, finding.waiver, finding.response
    return [
        finding.id,
        finding.severity,
        finding.tier,
        finding.rule_id,
        finding.subject,
        key.name if key else None,
        key.owner if key else None,
        finding.environment or (key.environment if key else None),
        finding.provider or (key.provider if key else None),
        finding.message,
        " ".join(controls.get(finding.rule_id, [])),
        waiver.state if waiver else None,
        waiver.id if waiver else None,
        waiver.owner if waiver else None,
        waiver.reason if waiver else None,
        waiver.expires_at if waiver else None,
        response.owner,
        response.due,
        response.status,
        "overdue" if response.overdue else "",
        response.note,
        EVIDENCE_JSON(finding.evidence or {}),
    ]


def findings_csv(doc: ResultDocument) -> bytes:
    """Header plus one row per finding, in the document's order; UTF-8, CRLF line ends."""
    controls = control_index(doc)
    rows = (row(finding, controls) for finding in doc.findings)
    return csv_text(COLUMNS, rows).encode("utf-8")
