"""JSON output: the result document itself, canonical and byte-stable."""

from __future__ import annotations

import json

from toolkit.reports.exporters.interface import Document, Exporter, RunMeta


def canonical_bytes(doc: Document) -> bytes:
    """Sorted keys, two-space indent, UTF-8, trailing newline: same document -> same bytes."""
    text = json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8")


def export(doc: Document, run: RunMeta) -> bytes:
    """The result document as canonical JSON (the run facts are deliberately left out)."""
    return canonical_bytes(doc)


EXPORTER = Exporter(
    name="json",
    suffix=".json",
    media_type="application/json",
    export=export,
    description="the whole result document, byte-identical for the same inputs and --as-of",
)
