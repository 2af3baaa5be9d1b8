"""A findings CSV for the PDF attachment when no CSV exporter is registered; formula-safe."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

COLUMNS = (
    "finding_id",
    "rule_id",
    "severity",
    "tier",
    "subject",
    "key_id",
    "name",
    "owner",
    "environment",
    "provider",
    "fingerprint_prefix",
    "message",
    "evidence",
    "waiver_id",
    "waiver_state",
    "waiver_expires_at",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """A cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _row(finding: dict[str, Any]) -> list[str]:
    """One finding as CSV cells."""
    key = finding.get("key") or {}
    waiver = finding.get("waiver") or {}
    values = [
        finding.get("id"),
        finding.get("rule_id"),
        finding.get("severity"),
        finding.get("tier"),
        finding.get("subject"),
        key.get("key_id"),
        key.get("name"),
        key.get("owner"),
        key.get("environment"),
        key.get("provider"),
        key.get("fingerprint_prefix"),
        finding.get("message"),
        json.dumps(finding.get("evidence") or {}, sort_keys=True),
        waiver.get("id"),
        waiver.get("state"),
        waiver.get("expires_at"),
    ]
    return [neutralise(v) for v in values]


def findings_csv(doc: dict[str, Any]) -> bytes:
    """Every finding of the document, one row each, UTF-8 with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_row(finding) for finding in doc.get("findings", []))
    return buffer.getvalue().encode("utf-8")
