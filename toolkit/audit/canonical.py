"""Canonical JSON bytes: sorted keys, two-space indent, UTF-8, trailing newline."""

from __future__ import annotations

from typing import Any

import orjson

CANONICAL = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE


def canonical_bytes(value: Any) -> bytes:
    """Same value -> same bytes; the result document's and every JSON output's form.

    The same bytes as ``json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False) + "\\n"``
    (except for floats printed with an exponent), about 40 times faster on large documents.
    """
    return orjson.dumps(value, option=CANONICAL)
