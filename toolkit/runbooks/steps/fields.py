"""Typed answers: text, bool, int, datetime, choice, multichoice, ip, email; ValueError if wrong."""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from zoneinfo import ZoneInfo

from toolkit.runbooks.schema import FieldSpec
from toolkit.timeutil import isoformat, parse_timestamp

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_YES = {"y", "yes", "true", "1"}
_NO = {"n", "no", "false", "0"}


def convert(spec: FieldSpec, raw: Any) -> Any:
    """The stored value of an answer (datetimes as ISO 8601 UTC text); ValueError says why not."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if spec.required:
            raise ValueError("an answer is required")
        return None
    kind = spec.type
    if kind == "bool":
        return _bool(raw)
    if kind == "int":
        return _int(spec, raw)
    if kind == "datetime":
        return isoformat(parse_timestamp(raw, ZoneInfo("UTC")))
    if kind == "multichoice":
        items = (
            raw if isinstance(raw, list) else [p.strip() for p in str(raw).split(",") if p.strip()]
        )
        return [_choice(spec, item) for item in items]
    if kind == "choice":
        return _choice(spec, raw)
    text = str(raw).strip()
    if kind == "ip":
        return str(ipaddress.ip_address(text))
    if kind == "email" and not _EMAIL.match(text):
        raise ValueError("not an e-mail address")
    return text


def _bool(raw: Any) -> bool:
    """yes/no in the usual spellings."""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError("answer yes or no")


def _int(spec: FieldSpec, raw: Any) -> int:
    """A whole number within the field's bounds."""
    if isinstance(raw, bool):
        raise ValueError("not a whole number")
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise ValueError("not a whole number") from None
    if spec.min is not None and value < spec.min:
        raise ValueError(f"must be at least {spec.min}")
    if spec.max is not None and value > spec.max:
        raise ValueError(f"must be at most {spec.max}")
    return value


def _choice(spec: FieldSpec, raw: Any) -> str:
    """One of the field's choices."""
    text = str(raw).strip()
    if text not in spec.choices:
        raise ValueError(f"choose one of {', '.join(spec.choices)}")
    return text


def default_text(spec: FieldSpec) -> str | None:
    """The default shown at the prompt."""
    if spec.default is None:
        return None
    if isinstance(spec.default, bool):
        return "yes" if spec.default else "no"
    return str(spec.default)
