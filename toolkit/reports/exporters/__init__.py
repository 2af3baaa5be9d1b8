"""Outputs of an audit run, one module per format, registered here."""

from __future__ import annotations

from toolkit.reports.exporters import csv, json, oscal, report, sarif
from toolkit.reports.exporters.interface import Document, Exporter, RunMeta

EXPORTERS: dict[str, Exporter] = {
    json.EXPORTER.name: json.EXPORTER,
    csv.EXPORTER.name: csv.EXPORTER,
    sarif.EXPORTER.name: sarif.EXPORTER,
    oscal.EXPORTER.name: oscal.EXPORTER,
    report.PDF.name: report.PDF,
    report.HTML.name: report.HTML,
}
"""Format name -> exporter; ``audit run --format`` accepts exactly these names."""

RENDERED = tuple(name for name, exporter in EXPORTERS.items() if exporter.needs_run_facts)
"""The report formats (they print run facts): what ``audit report --format`` accepts."""

__all__ = ["EXPORTERS", "RENDERED", "Document", "Exporter", "RunMeta"]
