"""CSV output: one row per finding, written by the formula-safe ``toolkit.csvsafe``."""

from __future__ import annotations

from toolkit.reports.exporters.interface import Document, Exporter, RunMeta
from toolkit.reports.findings_csv import findings_csv


def export(doc: Document, run: RunMeta) -> bytes:
    """The findings table (``toolkit.reports.findings_csv``); the run facts are left out."""
    return findings_csv(doc)


EXPORTER = Exporter(
    name="csv",
    suffix=".csv",
    media_type="text/csv",
    export=export,
    description="one row per finding, formula-injection safe",
)
