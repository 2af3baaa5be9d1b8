"""Field parsers shared by the inventory readers; errors name the place, never the value."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from toolkit.errors import IngestError
from toolkit.fingerprint import secret_facts as _facts
from toolkit.timeutil import NaiveTimestamp, parse_timestamp

Where = tuple[str, int]
"""("line", n) or ("record", n): where in a file a record came from."""

_TRUE = frozenset({"true", "yes", "y", "1", "t", "active", "enabled"})
_FALSE = frozenset({"false", "no", "n", "0", "f", "", "inactive", "disabled"})
_SAFE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_ ]{0,39}$")


def fail(path: Path, where: Where | None, reason: str, field: str | None = None) -> IngestError:
    """An ``IngestError`` for a line or record of a file (the caller raises it)."""
    if where is None:
        return IngestError(path, reason, field=field)
    kind, number = where
    if kind == "line":
        return IngestError(path, reason, line=number, field=field)
    return IngestError(path, reason, record=number, field=field)


def safe_name(name: str, position: int) -> str:
    """A column name fit to print: itself if identifier-like, else its position."""
    return name if _SAFE_NAME.match(name) else f"column {position}"


def decode_text(path: Path, data: bytes) -> str:
    """The file as text: UTF-8 (a BOM is dropped); invalid bytes are an error with their line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise IngestError(path, "not valid UTF-8", line=line) from None


def load_json(path: Path, text: str) -> Any:
    """Parse JSON text; a syntax error names its line."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(path, f"not valid JSON ({exc.msg})", line=exc.lineno) from None
    except RecursionError:
        raise IngestError(path, "not valid JSON (nested too deeply)") from None


def timestamp(
    path: Path, where: Where, field: str, value: Any, zone: ZoneInfo | None
) -> datetime | None:
    """A timestamp field: None when empty; an aware UTC datetime; else an error."""
    if value is None or value == "":
        return None
    if type(value) is str and len(value) > 19:
        try:  # fast path for the common, zoned ISO 8601 text
            parsed = datetime.fromisoformat(value)
            if parsed.tzinfo is not None:
                return parsed.astimezone(UTC)
        except (ValueError, OverflowError):
            pass
    try:
        return parse_timestamp(value, zone)
    except NaiveTimestamp:
        raise fail(path, where, "timestamp has no time zone; pass --assume-tz", field) from None
    except (ValueError, OverflowError, OSError):
        raise fail(path, where, "not a timestamp", field) from None


def boolean(path: Path, where: Where | None, field: str, value: Any) -> bool:
    """A yes/no field: JSON booleans, or true/false/yes/no/1/0 in any case."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise fail(path, where, "not a boolean (expected true or false)", field)


def scopes(path: Path, where: Where, value: Any) -> list[str]:
    """Scopes given as a list or as a comma/space separated string."""
    if value is None:
        return []
    if isinstance(value, list):
        if not all(isinstance(item, str | int) for item in value):
            raise fail(path, where, "scopes must be strings", "scopes")
        return [str(item).strip() for item in value if str(item).strip()]
    if isinstance(value, str):
        return value.replace(",", " ").split()
    raise fail(path, where, "not a list of scopes", "scopes")


def text_field(path: Path, where: Where, field: str, value: Any) -> str | None:
    """A plain text field: strings and numbers are accepted, empty means None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise fail(path, where, "not a text value", field)
    text = str(value).strip()
    return text or None


def secret_facts(path: Path, where: Where, value: Any) -> dict[str, Any]:
    """Fingerprint and entropy of a key value exactly as given (nothing trimmed); the value itself
    goes no further. An empty value means the row gives no key."""
    if not isinstance(value, str):
        raise fail(path, where, "the key value must be text", "key")
    if not value:
        return {}
    digest, bits = _facts(value)
    return {"fingerprint": digest, "entropy_bits": bits}


def object_list(path: Path, items: Any, what: str) -> list[dict[str, Any]]:
    """A JSON list whose every item is an object; a wrong item names its record number."""
    if not isinstance(items, list):
        raise IngestError(path, f"expected a list of {what}")
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise IngestError(path, f"expected an object for each of the {what}", record=number)
    return items
