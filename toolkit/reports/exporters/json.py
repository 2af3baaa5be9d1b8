"""JSON output: the result document itself, canonical and byte-stable."""

from __future__ import annotations

import orjson

from toolkit.reports.exporters.interface import Document, Exporter, RunMeta

CANONICAL = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE


def canonical_bytes(doc: Document) -> bytes:
    """Sorted keys, two-space indent, UTF-8, trailing newline: same document -> same bytes.

    The same bytes as ``json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\\n"``
    (except for floats printed with an exponent), about 40 times faster on large documents.
    """
    return orjson.dumps(doc, option=CANONICAL)


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
