"""The audit result document as a typed, frozen model: what every output and report reads.

Its canonical bytes (``ResultDocument.canonical()``) are the stored result and the JSON
output: sorted keys, two-space indent, UTF-8, trailing newline. docs/RESULT_CONTRACT.md is
generated from this model's JSON Schema (``toolkit.audit.contract``).
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, model_serializer
from pydantic.functional_serializers import SerializerFunctionWrapHandler

from toolkit.audit.canonical import canonical_bytes

SCHEMA: Final = "keyvigil.audit-result/1"
Timestamp = Annotated[str, Field(description="ISO 8601 UTC, e.g. 2026-10-01T00:00:00Z")]
Severity = Literal["critical", "high", "medium", "low", "info"]
ControlStatus = Literal["fails", "holds", "not_evaluated", "manual"]
WaiverState = Literal["active", "expired", "revoked"]
Json = dict[str, JsonValue]
"""Free-form JSON: a rule's evidence, the effective policy, threshold values."""


class Record(BaseModel):
    """A frozen part of the result document; unknown fields are refused when reading one."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Period(Record):
    """The reporting period."""

    start: Timestamp = Field(description="first log event, else as-of minus 90 days")
    end: Timestamp = Field(description="the as-of time")


class InputFile(Record):
    """One input file with its SHA-256 (``skipped`` only for logs)."""

    kind: Literal["inventory", "logs", "scan"]
    name: str = Field(description="file name")
    path: str = Field(description="path as given")
    sha256: str
    reader: str = Field(description="reader or log format that read it")
    records: int = Field(description="rows, records or events read")
    skipped: int | None = Field(default=None, description="logs only: bad records skipped")

    @model_serializer(mode="wrap")
    def _omit_skipped(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Inventory and scan inputs carry no ``skipped`` key at all."""
        data: dict[str, Any] = handler(self)
        if self.skipped is None:
            del data["skipped"]
        return data


class KeyRef(Record):
    """The key fields a finding carries (never a secret value)."""

    key_id: str
    name: str | None
    owner: str | None
    environment: str | None
    provider: str
    fingerprint_prefix: str | None = Field(description="first 12 hex digits of the SHA-256")


class KeyRecord(KeyRef):
    """A key in scope with its dates, age since rotation and number of findings."""

    key_type: str | None
    active: bool = Field(description="enabled and not revoked")
    created_at: Timestamp | None
    expires_at: Timestamp | None
    last_used_at: Timestamp | None
    last_rotated_at: Timestamp | None
    revoked_at: Timestamp | None
    age_days: int | None = Field(description="days since last rotation (else creation)")
    rotation_limit_days: int = Field(description="the environment's rotation period")
    finding_count: int


class FindingWaiver(Record):
    """The waiver covering a finding: in force (``waived``) or lapsed (``expired``)."""

    id: int
    owner: str
    reason: str
    expires_at: Timestamp | None
    state: Literal["waived", "expired"]


class FindingRecord(Record):
    """One finding (waived ones included)."""

    id: str = Field(description="stable across runs: SHA-256 of rule, provider, subject (16 hex)")
    rule_id: str
    severity: Severity
    tier: str | None = Field(description="the rule's alert tier")
    subject: str = Field(description="key id, source address, file or 'logs'")
    message: str
    provider: str | None
    environment: str | None
    key: KeyRef | None = Field(description="the inventory key the finding is about, if one")
    evidence: Json = Field(description="the rule's own facts: dates, counts, windows")
    waiver: FindingWaiver | None

    @property
    def waived(self) -> bool:
        """True when a waiver in force covers the finding (an expired one does not)."""
        return self.waiver is not None and self.waiver.state == "waived"


class RuleRecord(Record):
    """A rule of the catalogue: metadata, the policy values it read, status and count."""

    id: str
    title: str
    severity: Severity
    tier: str
    remediation: str
    description: str
    needs: list[str] = Field(description="inputs it needs: inventory, logs, scan")
    thresholds: Json = Field(description="policy path -> value read")
    status: Literal["evaluated", "not_evaluated"]
    reason: str | None = Field(description="why it was not evaluated")
    findings: int


class GuardrailRecord(Record):
    """A policy value looser than the number the framework control states."""

    policy_key: str
    policy_value: JsonValue
    framework_value: JsonValue
    note: str


class ControlRecord(Record):
    """One control of a framework with its status."""

    id: str
    title: str
    statement: str
    citation: str
    rules: list[str]
    status: ControlStatus
    findings: int = Field(description="findings of its rules, waived included")
    waived: int
    thresholds: Json
    guardrails: list[GuardrailRecord]
    organisation_choice: str | None


class FrameworkRecord(Record):
    """A selected framework and every one of its controls."""

    id: str
    name: str
    version: str
    source: str
    controls: list[ControlRecord]


class UsageRecord(Record):
    """One inventory key's logged activity (zero counts when the logs never show it)."""

    key_id: str
    provider: str
    first_event: Timestamp | None
    last_event: Timestamp | None
    events: int
    successes: int
    failures: int = Field(description="failed authentications")
    denied: int
    source_ips: int = Field(description="distinct source addresses")
    countries: list[str]
    attributed_via: str | None = Field(description="key_id, or principal for placeholders")


class DayCount(Record):
    """A count for one UTC day."""

    day: str = Field(description="YYYY-MM-DD")
    count: int


class LogSource(Record):
    """One log file read."""

    path: str
    format: str
    events: int
    skipped: int


class LogsSection(Record):
    """The access logs: span, counts, sources and daily series."""

    start: Timestamp | None
    end: Timestamp | None
    events: int
    skipped: int
    sources: list[LogSource]
    events_daily: list[DayCount]
    failed_auth_daily: list[DayCount]


class WaiverRecord(Record):
    """A waiver known at the run, with its state at as-of and the findings it matched."""

    id: int
    rule_id: str
    key_pattern: str
    owner: str
    reason: str
    expires_at: Timestamp | None
    created_at: Timestamp | None
    created_by: str
    revoked_at: Timestamp | None
    state: WaiverState
    matched: int


class Summary(Record):
    """Counts: findings by severity and environment, waivers, control statuses."""

    findings: int
    open: int = Field(description="findings not covered by a waiver in force")
    by_severity: dict[str, int]
    waived: int
    expired_waivers: int = Field(description="findings whose waiver has lapsed")
    by_environment: dict[str, dict[str, int]]
    controls: dict[str, dict[str, int]] = Field(description="framework -> status -> controls")
    not_evaluated_rules: list[str]


class ResultDocument(Record):
    """The whole result of one audit run; no run id, creation time or actor (they vary)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    schema_id: Literal["keyvigil.audit-result/1"] = Field(alias="schema")
    as_of: Timestamp
    period: Period
    organisation: str
    tool_version: str
    ruleset_version: str
    frameworks_selected: list[str]
    inputs: list[InputFile]
    policy: Json = Field(description="the effective policy every rule read")
    policy_digest: str
    rules: list[RuleRecord]
    findings: list[FindingRecord]
    keys: list[KeyRecord]
    usage: list[UsageRecord]
    logs: LogsSection | None = Field(description="None when no logs were given")
    waivers: list[WaiverRecord]
    frameworks: list[FrameworkRecord]
    summary: Summary

    def canonical(self) -> bytes:
        """The document's canonical bytes (what is stored and written as JSON)."""
        return canonical_bytes(self.model_dump(by_alias=True))

    @classmethod
    def from_bytes(cls, data: bytes | str) -> ResultDocument:
        """Read a stored or written document back (validated)."""
        return cls.model_validate_json(data)
