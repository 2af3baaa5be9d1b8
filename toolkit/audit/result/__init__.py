"""The audit result document as a typed, frozen model: what every output and report reads.

One module per concept: ``base`` (types, the frozen record, the period), ``inputs`` (files read,
keys), ``findings``, ``controls`` (rules, frameworks), ``logs`` (usage, files, daily series) and
``document`` (waivers, scope, summary, the ResultDocument). Its canonical bytes
(``ResultDocument.canonical()``) are the stored result and the JSON output; docs/RESULT_CONTRACT.md
is generated from the model's JSON Schema (``toolkit.audit.contract``).
"""

from __future__ import annotations

from toolkit.audit.result.base import (
    SCHEMA as SCHEMA,
)
from toolkit.audit.result.base import (
    AnyJson as AnyJson,
)
from toolkit.audit.result.base import (
    ControlStatus as ControlStatus,
)
from toolkit.audit.result.base import (
    Counts as Counts,
)
from toolkit.audit.result.base import (
    Coverage as Coverage,
)
from toolkit.audit.result.base import (
    Json as Json,
)
from toolkit.audit.result.base import (
    NestedCounts as NestedCounts,
)
from toolkit.audit.result.base import (
    Period as Period,
)
from toolkit.audit.result.base import (
    Record as Record,
)
from toolkit.audit.result.base import (
    ResponseStatus as ResponseStatus,
)
from toolkit.audit.result.base import (
    Severity as Severity,
)
from toolkit.audit.result.base import (
    Sorted as Sorted,
)
from toolkit.audit.result.base import (
    Timestamp as Timestamp,
)
from toolkit.audit.result.base import (
    WaiverState as WaiverState,
)
from toolkit.audit.result.base import (
    sorted_json as sorted_json,
)
from toolkit.audit.result.controls import (
    AttestationRecord as AttestationRecord,
)
from toolkit.audit.result.controls import (
    ControlRecord as ControlRecord,
)
from toolkit.audit.result.controls import (
    FrameworkRecord as FrameworkRecord,
)
from toolkit.audit.result.controls import (
    GuardrailRecord as GuardrailRecord,
)
from toolkit.audit.result.controls import (
    RuleRecord as RuleRecord,
)
from toolkit.audit.result.controls import (
    TestedRecord as TestedRecord,
)
from toolkit.audit.result.document import (
    AccountRecord as AccountRecord,
)
from toolkit.audit.result.document import (
    GapRecord as GapRecord,
)
from toolkit.audit.result.document import (
    ResultDocument as ResultDocument,
)
from toolkit.audit.result.document import (
    ScopeRecord as ScopeRecord,
)
from toolkit.audit.result.document import (
    Summary as Summary,
)
from toolkit.audit.result.document import (
    WaiverRecord as WaiverRecord,
)
from toolkit.audit.result.findings import (
    FindingRecord as FindingRecord,
)
from toolkit.audit.result.findings import (
    FindingWaiver as FindingWaiver,
)
from toolkit.audit.result.findings import (
    ResponseRecord as ResponseRecord,
)
from toolkit.audit.result.findings import (
    TraceRecord as TraceRecord,
)
from toolkit.audit.result.findings import (
    UnjudgedRecord as UnjudgedRecord,
)
from toolkit.audit.result.inputs import (
    InputFile as InputFile,
)
from toolkit.audit.result.inputs import (
    KeyRecord as KeyRecord,
)
from toolkit.audit.result.inputs import (
    KeyRef as KeyRef,
)
from toolkit.audit.result.inputs import (
    SourceLocation as SourceLocation,
)
from toolkit.audit.result.logs import (
    DayCount as DayCount,
)
from toolkit.audit.result.logs import (
    LogSource as LogSource,
)
from toolkit.audit.result.logs import (
    LogsSection as LogsSection,
)
from toolkit.audit.result.logs import (
    UsageRecord as UsageRecord,
)
