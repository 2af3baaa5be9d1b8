"""CSV output: one row per finding, every cell safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from toolkit.reports.exporters.interface import Document, Exporter, RunMeta

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
    "evidence",
)
"""The header row, in order."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
"""A cell starting with one of these could run as a formula (CSV/formula injection)."""


def neutralise(value: Any) -> str:
    """The cell's text; text that a spreadsheet could treat as a formula gets a leading quote."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def control_index(doc: Document) -> dict[str, list[str]]:
    """rule id -> ``framework:control`` ids that the rule evidences, in report order."""
    index: dict[str, list[str]] = {}
    for framework in doc.get("frameworks", []):
        for control in framework.get("controls", []):
            for rule in control.get("rules", []):
                index.setdefault(rule, []).append(f"{framework['id']}:{control['id']}")
    return index


def row(finding: dict[str, Any], controls: dict[str, list[str]]) -> list[str]:
    """One finding as a CSV row (values neutralised)."""
    key = finding.get("key") or {}
    waiver = finding.get("waiver") or {}
    values = [
        finding.get("id"),
        finding.get("severity"),
        finding.get("tier"),
        finding.get("rule_id"),
        finding.get("subject"),
        key.get("name"),
        key.get("owner"),
        finding.get("environment") or key.get("environment"),
        finding.get("provider") or key.get("provider"),
        finding.get("message"),
        " ".join(controls.get(finding.get("rule_id", ""), [])),
        waiver.get("state"),
        waiver.get("id"),
        waiver.get("owner"),
        waiver.get("reason"),
        waiver.get("expires_at"),
        json.dumps(finding.get("evidence") or {}, sort_keys=True, ensure_ascii=False),
    ]
    return [neutralise(v) for v in values]


def export(doc: Document, run: RunMeta) -> bytes:
    """Header plus one row per finding, in the document's order; UTF-8, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    controls = control_index(doc)
    for finding in doc.get("findings", []):
        writer.writerow(row(finding, controls))
    return buffer.getvalue().encode("utf-8")


EXPORTER = Exporter(
    name="csv",
    suffix=".csv",
    media_type="text/csv",
    export=export,
    description="one row per finding, formula-injection safe",
)
