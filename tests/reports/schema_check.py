"""Validation of outputs against the vendored OSCAL and SARIF JSON schemas (tests/data/schemas)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import regex
from jsonschema import Draft4Validator, Draft7Validator, ValidationError, validators

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "schemas"


def _unicode_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Any:
    """``pattern`` with ECMA-262 ``\\p{L}`` escapes (Python's ``re`` cannot compile them)."""
    if isinstance(instance, str) and not regex.search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


OscalValidator = validators.extend(Draft7Validator, {"pattern": _unicode_pattern})


@cache
def _schema(name: str) -> dict[str, Any]:
    """A vendored schema, read as it is."""
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def oscal_errors(document: dict[str, Any]) -> list[str]:
    """Every OSCAL assessment-results schema violation, as ``path: message``."""
    validator = OscalValidator(_schema("oscal_assessment-results_schema.json"))
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def sarif_errors(document: dict[str, Any]) -> list[str]:
    """Every SARIF 2.1.0 schema violation, as ``path: message``."""
    validator = Draft4Validator(_schema("sarif-schema-2.1.0.json"))
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
