"""Machine-readable outputs of an audit run, one module per format, registered here."""

from __future__ import annotations

from toolkit.reports import audit_report
from toolkit.reports.exporters import csv, json, oscal, sarif
from toolkit.reports.exporters.interface import Document, Exporter, RunMeta

EXPORTERS: dict[str, Exporter] = {
    json.EXPORTER.name: json.EXPORTER,
    csv.EXPORTER.name: csv.EXPORTER,
    sarif.EXPORTER.name: sarif.EXPORTER,
    oscal.EXPORTER.name: oscal.EXPORTER,
    "pdf": Exporter("pdf", ".pdf", "application/pdf", audit_report.export_pdf, "audit report"),
    "html": Exporter("html", ".html", "text/html", audit_report.export_html, "audit report"),
}
"""Format name -> exporter; ``audit run --format`` accepts exactly these names."""


def register(exporter: Exporter) -> None:
    """Add (or replace) an output format, e.g. the PDF report."""
    EXPORTERS[exporter.name] = exporter


__all__ = ["EXPORTERS", "Document", "Exporter", "RunMeta", "register"]
