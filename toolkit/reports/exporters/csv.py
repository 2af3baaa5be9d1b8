"""CSV output: one row per finding, written by the formula-safe ``toolkit.csvsafe``."""

from __future__ import annotations

import json
from typing import Any

from toolkit.csvsafe import csv_text, neutralise
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
    controls = control_index(doc)
    rows = (row(finding, controls) for finding in doc.get("findings", []))
    return csv_text(COLUMNS, rows).encode("utf-8")


EXPORTER = Exporter(
    name="csv",
    suffix=".csv",
    media_type="text/csv",
    export=export,
    description="one row per finding, formula-injection safe",
)
