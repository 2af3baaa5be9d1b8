"""The audit result document as a typed, frozen model: what every output and report reads.

One module per concept: ``base`` (types, the frozen record, the period), ``inputs`` (files read,
keys), ``findings``, ``controls`` (rules, frameworks), ``logs`` (usage, files, daily series) and
``document`` (waivers, scope, summary, the ResultDocument). Its canonical bytes
(``ResultDocument.canonical()``) are the stored result and the JSON output; docs/RESULT_CONTRACT.md
is generated from the model's JSON Schema (``toolkit.audit.contract``).
"""

from __future__ import annotations

from toolkit.audit.result.base import (
    SCHEMA,
    AnyJson,
    ControlStatus,
    Counts,
    Coverage,
    Json,
    NestedCounts,
    Period,
    Record,
    ResponseStatus,
    Severity,
    Sorted,
    Timestamp,
    WaiverState,
    sorted_json,
)
from toolkit.audit.result.controls import (
    AttestationRecord,
    ControlRecord,
    FrameworkRecord,
    GuardrailRecord,
    RuleRecord,
    TestedRecord,
)
from toolkit.audit.result.document import (
    AccountRecord,
    GapRecord,
    ResultDocument,
    ScopeRecord,
    Summary,
    WaiverRecord,
)
from toolkit.audit.result.findings import (
    FindingRecord,
    FindingWaiver,
    ResponseRecord,
    TraceRecord,
    UnjudgedRecord,
)
from toolkit.audit.result.inputs import (
    ExtractedBasis,
    InputFile,
    KeyRecord,
    KeyRef,
    SourceLocation,
)
from toolkit.audit.result.logs import (
    DayCount,
    LogSource,
    LogsSection,
    UsageRecord,
)

__all__ = [
    "AccountRecord",
    "AnyJson",
    "AttestationRecord",
    "ControlRecord",
    "ControlStatus",
    "Counts",
    "Coverage",
    "DayCount",
    "ExtractedBasis",
    "FindingRecord",
    "FindingWaiver",
    "FrameworkRecord",
    "GapRecord",
    "GuardrailRecord",
    "InputFile",
    "Json",
    "KeyRecord",
    "KeyRef",
    "LogSource",
    "LogsSection",
    "NestedCounts",
    "Period",
    "Record",
    "ResponseRecord",
    "ResponseStatus",
    "ResultDocument",
    "RuleRecord",
    "SCHEMA",
    "ScopeRecord",
    "Severity",
    "Sorted",
    "SourceLocation",
    "Summary",
    "TestedRecord",
    "Timestamp",
    "TraceRecord",
    "UnjudgedRecord",
    "UsageRecord",
    "WaiverRecord",
    "WaiverState",
    "sorted_json",
]
