"""House CSV a column at a time: the fast path for clean files (the row path names any error)."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from toolkit.errors import IngestError
from toolkit.fingerprint import secret_facts
from toolkit.ingest.inventory import parsing as p
from toolkit.ingest.inventory.interface import KeyRecord, ReadOptions

Cells = Sequence[str]
_ABSENT = object()  # a field this row does not give (unknown, not None)
_SLOW = object()  # a cell the fast timestamp parser left to ``parsing.timestamp``
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")
_fromiso = datetime.fromisoformat
BLOCK = 5000
"""Rows parsed together: big enough to amortise the per-column work, small enough for memory."""


class Bail(Exception):
    """The fast path cannot decide this file; the row path reads it (and names any error)."""


def fast_records(
    path: Path, text: str, columns: list[str], kinds: list[str | None], options: ReadOptions
) -> list[KeyRecord] | None:
    """Every record of a clean one-line-per-row file, or None to let the row path read it.

    ``kinds`` gives each column's parser: text, time, scopes, boolean, enabled, number, key
    or None (ignored). The records equal the row path's, field for field. Rows are taken
    ``BLOCK`` at a time, so only one block's cells are held besides the records.
    """
    if text.count("\r") != text.count("\r\n"):
        return None  # a bare CR ends a CSV row but not a line: leave the numbering to the row path
    reader = csv.reader(text.split("\n"))  # one item per line; an io.StringIO costs far more
    records: list[KeyRecord] = []
    try:
        next(reader)  # the header, checked by the caller
        read = 1
        while block := list(islice(reader, BLOCK)):
            first, read = read + 1, read + len(block)
            if reader.line_num != read:
                return None  # a quoted cell spans lines
            lines = [n for n, row in enumerate(block, first) if row and any(row)]
            cells = [block[n - first] for n in lines]
            if any(len(row) != len(columns) for row in cells):
                return None
            records += _block(path, lines, cells, columns, kinds, options)
    except (csv.Error, IngestError, Bail):
        return None
    return records


def _block(
    path: Path,
    lines: list[int],
    cells: Sequence[Cells],
    columns: list[str],
    kinds: list[str | None],
    options: ReadOptions,
) -> list[KeyRecord]:
    """The records of one block of rows, parsed a column at a time."""
    if not lines:
        return []
    values: dict[str, list[Any]] = {}
    for column, kind, column_cells in zip(columns, kinds, zip(*cells, strict=True), strict=True):
        if kind is not None:
            values[column] = _PARSERS[kind](path, column, column_cells, options)
    return _assemble(lines, values, options)


def _text(_path: Path, _column: str, cells: Cells, _o: ReadOptions) -> list[Any]:
    """Text cells: stripped; empty means None."""
    return [cell.strip() or None for cell in cells]


def _iso(cell: str) -> Any:
    """A zoned ISO 8601 cell as aware UTC; anything else is left to the full parser."""
    if len(cell) > 19:
        try:
            parsed = _fromiso(cell)
            if parsed.tzinfo is not None:
                return parsed.astimezone(UTC)
        except (ValueError, OverflowError):
            return _SLOW
    return _SLOW


def _times(path: Path, column: str, cells: Cells, options: ReadOptions) -> list[Any]:
    """Timestamp cells as aware UTC datetimes; empty means None."""
    values = [_iso(cell) if cell else None for cell in cells]
    zone: ZoneInfo | None = options.assume_tz
    for index, value in enumerate(values):
        if value is _SLOW:
            values[index] = p.timestamp(path, ("line", 0), column, cells[index], zone)
    return values


def _scopes(_path: Path, _column: str, cells: Cells, _o: ReadOptions) -> list[Any]:
    """Scopes cells: comma or space separated."""
    return [cell.replace(",", " ").split() for cell in cells]


def _booleans(path: Path, column: str, cells: Cells, _o: ReadOptions) -> list[Any]:
    """Yes/no cells, each distinct spelling parsed once."""
    parsed = {cell: p.boolean(path, None, column, cell) for cell in set(cells)}
    return [parsed[cell] for cell in cells]


def _enabled(path: Path, column: str, cells: Cells, _o: ReadOptions) -> list[Any]:
    """The enabled column: empty means enabled."""
    parsed = {cell: cell == "" or p.boolean(path, None, column, cell) for cell in set(cells)}
    return [parsed[cell] for cell in cells]


def _numbers(_path: Path, _column: str, cells: Cells, _o: ReadOptions) -> list[Any]:
    """The entropy_bits column: a number or empty (anything else goes to the row path)."""
    try:
        return [float(cell) if cell != "" else None for cell in cells]
    except ValueError:
        raise Bail from None


def _key(_path: Path, _column: str, cells: Cells, _o: ReadOptions) -> list[Any]:
    """The key column: each value's (fingerprint, entropy) as given, or _ABSENT when empty."""
    return [secret_facts(cell) if cell else _ABSENT for cell in cells]


_PARSERS: dict[str, Callable[[Path, str, Cells, ReadOptions], list[Any]]] = {
    "text": _text,
    "time": _times,
    "scopes": _scopes,
    "boolean": _booleans,
    "enabled": _enabled,
    "number": _numbers,
    "key": _key,
}


def _assemble(lines: list[int], values: dict[str, list[Any]], options: ReadOptions) -> list[Any]:
    """Rows from columns, with the row path's derived fields (fingerprint, key_id, provider...)."""
    count = len(lines)
    given = "fingerprint" in values  # digests made from key values need no check
    facts = values.pop("key", None)
    if facts is not None:
        _apply_key_facts(values, facts)
    if given:
        values["fingerprint"] = [_checked_fingerprint(v) for v in values["fingerprint"]]
    values["key_id"] = _key_ids(values.get("key_id"), values.get("fingerprint"), count)
    provider = options.provider or "house"
    values["provider"] = [v or provider for v in values.get("provider", [None] * count)]
    if options.environment:
        env = options.environment
        values["environment"] = [v or env for v in values.get("environment", [None] * count)]
    if "revoked" not in values and "revoked_at" in values:
        values["revoked"] = [_ABSENT if v is None else True for v in values["revoked_at"]]
    names = ["_where", *values]
    wheres = [("line", line) for line in lines]
    records = [
        dict(zip(names, row, strict=True)) for row in zip(wheres, *values.values(), strict=True)
    ]
    for name, column in values.items():
        if name in ("fingerprint", "entropy_bits", "revoked") and _ABSENT in column:
            for record in records:
                if record[name] is _ABSENT:
                    del record[name]
    return records


def _apply_key_facts(values: dict[str, list[Any]], facts: list[Any]) -> None:
    """Key values replace the fingerprint and entropy columns; an empty key keeps them."""
    old_fp = values.get("fingerprint") or [_ABSENT] * len(facts)
    old_bits = values.get("entropy_bits") or [_ABSENT] * len(facts)
    values["fingerprint"] = [
        old if fact is _ABSENT else fact[0] for fact, old in zip(facts, old_fp, strict=True)
    ]
    values["entropy_bits"] = [
        old if fact is _ABSENT else fact[1] for fact, old in zip(facts, old_bits, strict=True)
    ]


def _checked_fingerprint(value: Any) -> Any:
    """A fingerprint lower-cased; one that is not 64 hex digits goes to the row path."""
    if value is None or value is _ABSENT:
        return value
    if not _HEX64.match(value):
        raise Bail
    return value.lower()


def _key_ids(ids: list[Any] | None, fps: list[Any] | None, count: int) -> list[Any]:
    """Given key ids; a missing one is derived from the fingerprint (none: row path)."""
    if ids is not None and all(ids):
        return ids
    out = list(ids) if ids is not None else [None] * count
    for index, value in enumerate(out):
        if not value:
            fp = fps[index] if fps is not None else None
            if fp is None or fp is _ABSENT:
                raise Bail
            out[index] = "fp-" + fp[:16].lower()
    return out
