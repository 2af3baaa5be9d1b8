"""The result document's common ground: its types, the frozen base record, the period.

Its canonical bytes (``ResultDocument.canonical()``) are the stored result and the JSON
output: sorted keys, two-space indent, UTF-8, trailing newline. docs/RESULT_CONTRACT.md is
generated from this model's JSON Schema (``toolkit.audit.contract``).
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, JsonValue

SCHEMA: Final = "keyvigil.audit-result/1"
Timestamp = Annotated[str, Field(description="ISO 8601 UTC, e.g. 2026-10-01T00:00:00Z")]
Severity = Literal["critical", "high", "medium", "low", "info"]
ControlStatus = Literal["fails", "holds", "not_evaluated", "manual"]
Coverage = Literal["full", "partial", "none"]
WaiverState = Literal["active", "expired", "revoked"]
ResponseStatus = Literal["open", "in_progress", "fixed", "risk_accepted"]


def sorted_json(value: Any) -> Any:
    """The value with every mapping's keys in sorted order, nested ones too."""
    if isinstance(value, dict):
        return {key: sorted_json(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [sorted_json(item) for item in value]
    return value


Sorted = AfterValidator(sorted_json)
"""Validated mappings keep sorted keys: the canonical bytes are written in stored order."""
Json = Annotated[dict[str, JsonValue], Sorted]
"""Free-form JSON: a rule's evidence, the effective policy, threshold values."""
AnyJson = Annotated[JsonValue, Sorted]
Counts = Annotated[dict[str, int], Sorted]
NestedCounts = Annotated[dict[str, dict[str, int]], Sorted]


class Record(BaseModel):
    """A frozen part of the result document; unknown fields are refused when reading one.

    Fields are declared in alphabetical order (by their JSON names) and every free-form mapping
    is built with sorted keys, so pydantic's own JSON writer gives the canonical, sorted bytes in
    one pass (``ResultDocument.canonical``); tests/audit/test_golden.py holds them.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")


class Period(Record):
    """The reporting period."""

    end: Timestamp = Field(description="the as-of time")
    start: Timestamp = Field(description="first log event, else as-of minus 90 days")
