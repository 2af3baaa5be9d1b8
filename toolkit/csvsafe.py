"""The one CSV writer for files people open: every cell is safe from formula injection.

A spreadsheet runs a cell starting with ``=``, ``+``, ``-`` or ``@`` (and some with a leading
tab or line break) as a formula: ``=cmd|' /C calc'!A0`` or ``@SUM(...)`` in a key's name would
run on the auditor's machine. Such a cell gets a leading apostrophe, which spreadsheets show as
text (OWASP's advice for CSV injection). Lists are joined by spaces and mappings written as JSON
first, so the check sees the text that is actually written.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
"""A cell starting with one of these could run as a formula (CSV/formula injection)."""


def cell_text(value: Any) -> str:
    """A value as cell text: None empty, lists space-joined, mappings and numbers as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return " ".join(cell_text(item) for item in value)
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def neutralise(value: Any) -> str:
    """The cell's text; text that a spreadsheet could treat as a formula gets a leading quote."""
    text = value if type(value) is str else cell_text(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], line_end: str = "\r\n") -> str:
    """Header plus rows as CSV text, every cell (the header's too) neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_end)
    writer.writerow([neutralise(name) for name in header])
    unsafe = FORMULA_PREFIXES  # plain text that starts harmlessly, and None, need no call
    writer.writerows(
        [
            v if type(v) is str and not v.startswith(unsafe) else "" if v is None else neutralise(v)
            for v in row
        ]
        for row in rows
    )
    return buffer.getvalue()
