"""The house format: the seed's ApiKey plus audit fields, as CSV, JSON, JSON Lines or YAML."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from toolkit.errors import IngestError
from toolkit.ingest.inventory import parsing as p
from toolkit.ingest.inventory.house_csv import fast_records
from toolkit.ingest.inventory.interface import KeyRecord, ReadOptions
from toolkit.ingest.inventory.rows import (
    Row,
    csv_rows,
    document_kind,
    json_rows,
    jsonl_rows,
    yaml_rows,
)

TEXT: tuple[str, ...] = (
    "key_id",
    "name",
    "owner",
    "purpose",
    "environment",
    "provider",
    "principal",
    "account",
)
TEXT += ("key_type", "revoked_reason", "replaces")
TIMES = ("created_at", "expires_at", "last_used_at", "last_rotated_at", "revoked_at")
COLUMNS = frozenset((*TEXT, *TIMES, "key", "scopes", "revoked", "enabled", "fingerprint"))
COLUMNS |= {"entropy_bits", "cardholder_data"}
ALIASES = {"id": "key_id", "keyid": "key_id", "key_name": "name", "env": "environment"}
IDENTITY = frozenset({"key", "key_id", "fingerprint"})
_TEXT, _TIME = object(), object()
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")
_JSON_HINT = re.compile(rb'"(key|key_?id|keyId|id|fingerprint)"\s*:')
_YAML_HINT = re.compile(rb"^\s*(-\s+)?(key|key_?id|keyId|id|fingerprint)\s*:", re.MULTILINE)


def canonical(column: str) -> str:
    """A column name in snake_case with aliases resolved: ``createdAt`` -> ``created_at``."""
    name = _CAMEL.sub("_", column.strip()).replace("-", "_").replace(" ", "_").lower()
    return ALIASES.get(name, name)


class HouseReader:
    """keyvigil's own inventory format (the seed's ApiKey fields and more)."""

    name = "house"
    description = "house format: ApiKey fields as CSV, JSON, JSON Lines or YAML"

    def sniff(self, sample: bytes, path: Path) -> bool:
        """A CSV header with an identity column, or JSON/YAML records with one."""
        text = sample.decode("utf-8", errors="ignore").lstrip("\ufeff").lstrip()
        if text.startswith(("[", "{")):
            return bool(_JSON_HINT.search(sample))
        first = text.split("\n", 1)[0]
        if "," in first or canonical(first) in IDENTITY:
            return bool(IDENTITY & {canonical(c) for c in first.split(",")})
        return bool(_YAML_HINT.search(sample))

    def read(self, path: Path, data: bytes, options: ReadOptions) -> list[KeyRecord]:
        """Parse every row; the ``key`` value becomes a fingerprint and is dropped."""
        text = p.decode_text(path, data)
        kind = document_kind(text, path)
        if kind == "csv":
            return _read_csv(path, text, options)
        loaders = {"json": json_rows, "jsonl": jsonl_rows, "yaml": yaml_rows}
        rows: list[Row] = loaders[kind](path, text)
        return [
            _convert(path, where, _canonical_row(path, where, row), options) for where, row in rows
        ]


def _check_columns(path: Path, where: p.Where, columns: Iterable[tuple[int, str, str]]) -> None:
    """Reject unknown or repeated columns and rows with no identity column."""
    seen: set[str] = set()
    for position, raw, name in columns:
        if name not in COLUMNS:
            raise p.fail(
                path, where, "unknown column (see docs/inventory.md)", p.safe_name(raw, position)
            )
        if name in seen:
            raise p.fail(path, where, "column given twice", p.safe_name(raw, position))
        seen.add(name)
    if not seen & IDENTITY:
        raise p.fail(path, where, "no key_id, id, key or fingerprint column")


def _canonical_row(path: Path, where: p.Where, row: dict[str, Any]) -> dict[str, Any]:
    """A JSON/YAML record with canonical field names, checked like a CSV header."""
    names = [(n, str(k), canonical(str(k))) for n, k in enumerate(row, 1)]
    _check_columns(path, where, names)
    return {name: row[raw] for _, raw, name in names}


def _read_csv(path: Path, text: str, options: ReadOptions) -> list[KeyRecord]:
    """CSV rows, header checked once; a clean file is read a column at a time."""
    header, body = csv_rows(path, text)
    columns = [canonical(h) for h in header]
    named = [(n, h, c) for n, (h, c) in enumerate(zip(header, columns, strict=True), 1)]
    _check_columns(path, ("line", 1), named)
    del body  # its reader's buffer is several times the text; the row path makes a new one
    records = fast_records(path, text, columns, [_KINDS.get(c) for c in columns], options)
    if records is not None:
        return records
    return list(_csv_records(path, columns, csv_rows(path, text)[1], options))


def _csv_records(
    path: Path, columns: list[str], body: Iterable[tuple[int, list[str]]], options: ReadOptions
) -> Iterable[KeyRecord]:
    """CSV rows one at a time: the path that names the first bad line and field."""
    kinds = [_TEXT if c in TEXT else _TIME if c in TIMES else _HANDLERS.get(c) for c in columns]
    plan = list(zip(columns, kinds, strict=True))
    width, zone = len(columns), options.assume_tz
    value_at = columns.index("key") if "key" in columns else None
    for line, cells in body:
        if len(cells) != width:
            raise IngestError(path, f"row has {len(cells)} fields, header has {width}", line=line)
        where = ("line", line)
        record: KeyRecord = {"_where": where}
        for (column, kind), cell in zip(plan, cells, strict=True):
            if kind is _TEXT:
                record[column] = cell.strip() or None
            elif kind is _TIME:
                record[column] = p.timestamp(path, where, column, cell, zone) if cell else None
            elif callable(kind):
                record[column] = kind(path, where, column, cell, options)
        if value_at is not None:
            record.update(p.secret_facts(path, where, cells[value_at]))
        yield _finish(path, where, record, options)


def _float(path: Path, where: p.Where, value: Any) -> float | None:
    """The entropy_bits column: a number or empty."""
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise p.fail(path, where, "not a number", "entropy_bits") from None


def _convert(path: Path, where: p.Where, row: dict[str, Any], options: ReadOptions) -> KeyRecord:
    """One row's fields, parsed; the key value replaced by its fingerprint and entropy."""
    record: KeyRecord = {"_where": where}
    for field, value in row.items():
        handler = _HANDLERS.get(field)
        if handler is not None:
            record[field] = handler(path, where, field, value, options)
    if "key" in row:
        record.update(p.secret_facts(path, where, row["key"]) if row["key"] is not None else {})
        record.pop("key", None)
    return _finish(path, where, record, options)


def _finish(path: Path, where: p.Where, record: KeyRecord, options: ReadOptions) -> KeyRecord:
    """Fill key_id, provider, environment and revoked from what the row gave."""
    fp = record.get("fingerprint")
    if fp is not None and not _HEX64.match(fp):
        raise p.fail(path, where, "not a SHA-256 hex digest", "fingerprint")
    if fp is not None:
        record["fingerprint"] = fp.lower()
    if not record.get("key_id"):
        if fp is None:
            raise p.fail(path, where, "no key_id and no key value to derive one from", "key_id")
        record["key_id"] = "fp-" + fp[:16].lower()
    record["provider"] = record.get("provider") or options.provider or "house"
    if not record.get("environment") and options.environment:
        record["environment"] = options.environment
    if "revoked" not in record and record.get("revoked_at") is not None:
        record["revoked"] = True
    if "scopes" in record and record["scopes"] is None:
        record["scopes"] = []
    return record


def _text(path: Path, where: p.Where, field: str, value: Any, _o: ReadOptions) -> Any:
    """Handler for text columns."""
    return p.text_field(path, where, field, value)


def _time(path: Path, where: p.Where, field: str, value: Any, options: ReadOptions) -> Any:
    """Handler for timestamp columns."""
    return p.timestamp(path, where, field, value, options.assume_tz)


_HANDLERS: dict[str, Callable[[Path, p.Where, str, Any, ReadOptions], Any]] = {
    **dict.fromkeys((*TEXT, "fingerprint"), _text),
    **dict.fromkeys(TIMES, _time),
    "scopes": lambda path, where, _f, value, _o: p.scopes(path, where, value),
    "revoked": lambda path, where, f, value, _o: p.boolean(path, where, f, value),
    "cardholder_data": lambda path, where, f, value, _o: p.boolean(path, where, f, value),
    "enabled": lambda path, where, f, value, _o: (
        value in (None, "") or p.boolean(path, where, f, value)
    ),
    "entropy_bits": lambda path, where, _f, value, _o: _float(path, where, value),
}

_KINDS: dict[str, str] = {
    **dict.fromkeys((*TEXT, "fingerprint"), "text"),
    **dict.fromkeys(TIMES, "time"),
    "scopes": "scopes",
    "revoked": "boolean",
    "cardholder_data": "boolean",
    "enabled": "enabled",
    "entropy_bits": "number",
    "key": "key",
}
"""Each CSV column's parser in the column-at-a-time path (``house_csv``)."""
