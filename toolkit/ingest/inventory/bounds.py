"""Limits every imported key record must keep, whatever reader made it: one check for all.

Text fields are bounded in characters, scopes in number and length, provider attributes in
encoded size; times must lie in a range every later computation can handle; entropy must be
a finite, non-negative number; no text may hold a NUL character (PostgreSQL cannot store one).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from toolkit.ingest.inventory import parsing as p
from toolkit.ingest.inventory.interface import KeyRecord
from toolkit.timeutil import EARLIEST, LATEST

MAX_TEXT = 2048
"""Characters in one text field (an ARN may have 2048; a name or owner far fewer)."""
MAX_SCOPES = 1000
"""Scopes on one key."""
MAX_ATTRIBUTES = 65536
"""Bytes of one key's provider attributes, encoded as JSON."""
MAX_ENTROPY = 1_000_000.0
"""Entropy bits above this are no estimate of a key's strength."""

NUL = "\x00"
TEXT_FIELDS: tuple[str, ...] = (
    "key_id",
    "provider",
    "name",
    "owner",
    "purpose",
    "environment",
    "principal",
)
TEXT_FIELDS += ("account", "key_type", "revoked_reason", "replaces", "fingerprint")
TIME_FIELDS = ("created_at", "expires_at", "last_used_at", "last_rotated_at", "revoked_at")


def check_records(path: Path, records: Iterable[KeyRecord]) -> None:
    """Raise ``IngestError`` naming the record and field of the first record out of bounds."""
    for record in records:
        where = record.get("_where")
        for field in TEXT_FIELDS:
            value = record.get(field)
            # the usual case inline (100,000 keys): plain text in bounds needs no call
            if value is None or (
                type(value) is str and len(value) <= MAX_TEXT and NUL not in value
            ):
                continue
            _text(path, where, field, value)
        for field in TIME_FIELDS:
            value = record.get(field)
            if value is not None and not EARLIEST <= value < LATEST:
                raise p.fail(path, where, "time out of range (years 1900 to 8999)", field)
        _entropy(path, where, record.get("entropy_bits"))
        if record.get("scopes"):
            _scopes(path, where, record["scopes"])
        if record.get("attributes"):
            _attributes(path, where, record["attributes"])


def _text(path: Path, where: p.Where | None, field: str, value: Any) -> None:
    """A text field: not too long, no NUL character."""
    if not isinstance(value, str):
        raise p.fail(path, where, "not a text value", field)
    if len(value) > MAX_TEXT:
        raise p.fail(path, where, f"longer than {MAX_TEXT} characters ({len(value)})", field)
    if NUL in value:
        raise p.fail(path, where, "contains a NUL character", field)


def _entropy(path: Path, where: p.Where | None, value: Any) -> None:
    """entropy_bits: absent, or a finite number from 0 to MAX_ENTROPY."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise p.fail(path, where, "not a number", "entropy_bits")
    if not math.isfinite(value) or not 0 <= value <= MAX_ENTROPY:
        raise p.fail(path, where, "must be a finite number from 0 to 1000000", "entropy_bits")


def _scopes(path: Path, where: p.Where | None, scopes: list[Any]) -> None:
    """Scopes: at most MAX_SCOPES, each a bounded text."""
    if len(scopes) > MAX_SCOPES:
        raise p.fail(path, where, f"more than {MAX_SCOPES} scopes ({len(scopes)})", "scopes")
    for scope in scopes:
        _text(path, where, "scopes", scope)


def _attributes(path: Path, where: p.Where | None, attributes: dict[str, Any]) -> None:
    """Provider attributes: bounded when encoded, and each text in them bounded like a field."""
    try:
        encoded = json.dumps(attributes, ensure_ascii=False, allow_nan=False, default=str)
    except (ValueError, RecursionError):
        raise p.fail(path, where, "provider attributes are not plain data", "attributes") from None
    if len(encoded.encode("utf-8")) > MAX_ATTRIBUTES:
        raise p.fail(path, where, f"provider attributes over {MAX_ATTRIBUTES} bytes", "attributes")
    for name, text in _texts(attributes, "attributes"):
        _text(path, where, name, text)


def _texts(value: Any, name: str) -> Iterator[tuple[str, str]]:
    """Every text in plain nested data, with the dotted name of where it is (keys included)."""
    if isinstance(value, str):
        yield name, value
    elif isinstance(value, dict):
        for key, item in value.items():
            label = f"{name}.{p.safe_name(str(key), 0)}"
            yield label, str(key)
            yield from _texts(item, label)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item, name)
