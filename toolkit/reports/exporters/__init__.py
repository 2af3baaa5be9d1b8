"""Machine-readable outputs of an audit run, one module per format, registered here."""

from __future__ import annotations

from toolkit.reports.exporters import csv, json, oscal, sarif
from toolkit.reports.exporters.interface import Document, Exporter, RunMeta

EXPORTERS: dict[str, Exporter] = {
    json.EXPORTER.name: json.EXPORTER,
    csv.EXPORTER.name: csv.EXPORTER,
    sarif.EXPORTER.name: sarif.EXPORTER,
    oscal.EXPORTER.name: oscal.EXPORTER,
    # The report engineer registers "pdf" and "html" here (or through ``register``).
}
"""Format name -> exporter; ``audit run --format`` accepts exactly these names."""


def register(exporter: Exporter) -> None:
    """Add (or replace) an output format, e.g. the PDF report."""
    EXPORTERS[exporter.name] = exporter


__all__ = ["EXPORTERS", "Document", "Exporter", "RunMeta", "register"]
