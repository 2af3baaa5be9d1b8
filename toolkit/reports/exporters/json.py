"""JSON output: the result document itself, canonical and byte-stable."""

from __future__ import annotations

from toolkit.reports.exporters.interface import Document, Exporter, RunMeta


def export(doc: Document, run: RunMeta) -> bytes:
    """The result document as canonical JSON (the run facts are deliberately left out)."""
    return doc.canonical()


EXPORTER = Exporter(
    name="json",
    suffix=".json",
    media_type="application/json",
    export=export,
    description="the whole result document, byte-identical for the same inputs and --as-of",
)
