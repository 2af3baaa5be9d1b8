"""The audit result document as a typed, frozen model: what every output and report reads.

Its canonical bytes (``ResultDocument.canonical()``) are the stored result and the JSON
output: sorted keys, two-space indent, UTF-8, trailing newline. docs/RESULT_CONTRACT.md is
generated from this model's JSON Schema (``toolkit.audit.contract``).
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

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
    skipped: int | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="logs only (absent otherwise): bad records skipped",
    )


class KeyRef(Record):
    """The key fields a finding carries (never a secret value)."""

    key_id: str = Field(description="the provider's identifier")
    name: str | None
    owner: str | None = Field(description="person or team answerable for the key")
    environment: str | None
    provider: str
    fingerprint_prefix: str | None = Field(description="first 12 hex digits of the SHA-256")


class KeyRecord(KeyRef):
    """A key in scope with its dates, age since rotation and number of findings."""

    key_type: str | None = Field(description="provider's kind of key")
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
    tier: str | None = Field(description="the rule's alert tier: immediate, daily, weekly")
    subject: str = Field(description="key id, source address, file or 'logs'")
    message: str = Field(description="one line saying what is wrong")
    provider: str | None = Field(description="the subject's provider, when known")
    environment: str | None = Field(description="the subject's environment, when known")
    key: KeyRef | None = Field(description="the inventory key the finding is about, if one")
    evidence: Json = Field(description="the rule's own facts: dates, counts, windows")
    waiver: FindingWaiver | None = Field(description="the waiver covering it, if any")

    @property
    def waived(self) -> bool:
        """True when a waiver in force covers the finding (an expired one does not)."""
        return self.waiver is not None and self.waiver.state == "waived"


class RuleRecord(Record):
    """A rule of the catalogue: metadata, the policy values it read, status and count."""

    id: str = Field(description="stable kebab-case rule id")
    title: str
    severity: Severity
    tier: str = Field(description="alert tier: immediate, daily, weekly")
    remediation: str = Field(description="what to do about a finding")
    description: str = Field(description="what is checked and which keys are in scope")
    needs: list[str] = Field(description="inputs it needs: inventory, logs, scan")
    thresholds: Json = Field(description="policy path -> value read")
    status: Literal["evaluated", "not_evaluated"]
    reason: str | None = Field(description="why it was not evaluated")
    findings: int = Field(description="findings of this rule, waived included")


class GuardrailRecord(Record):
    """A policy value looser than the number the framework control states."""

    policy_key: str = Field(description="dotted path into the policy")
    policy_value: JsonValue = Field(description="the organisation's value")
    framework_value: JsonValue = Field(description="the framework's number")
    note: str


class ControlRecord(Record):
    """One control of a framework with its status."""

    id: str = Field(description="the framework's own control id")
    title: str
    statement: str = Field(description="what the control requires")
    citation: str = Field(description="where the framework says so")
    rules: list[str] = Field(description="rules that evidence it (empty: manual)")
    status: ControlStatus = Field(
        description="fails: an unwaived finding; holds: every rule ran clean; not_evaluated: a "
        "rule lacked input; manual: no rule maps to it"
    )
    findings: int = Field(description="findings of its rules, waived included")
    waived: int = Field(description="findings covered by a waiver in force")
    thresholds: Json = Field(description="numbers the framework states")
    guardrails: list[GuardrailRecord] = Field(description="policy values looser than those")
    organisation_choice: str | None = Field(description="what the framework leaves to you")


class FrameworkRecord(Record):
    """A selected framework and every one of its controls."""

    id: str = Field(description="soc2, pci-dss, gdpr, hipaa or your own")
    name: str
    version: str
    source: str = Field(description="the framework text the mapping follows")
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
    format: str = Field(description="log format read: house, cloudtrail, vault")
    events: int
    skipped: int


class LogsSection(Record):
    """The access logs: span, counts, sources and daily series."""

    start: Timestamp | None = Field(description="first event")
    end: Timestamp | None = Field(description="last event")
    events: int
    skipped: int = Field(description="bad records skipped (--skip-bad-records)")
    sources: list[LogSource]
    events_daily: list[DayCount] = Field(description="events per day up to as-of")
    failed_auth_daily: list[DayCount] = Field(description="failed authentications per day")


class WaiverRecord(Record):
    """A waiver known at the run, with its state at as-of and the findings it matched."""

    id: int
    rule_id: str
    key_pattern: str = Field(description="glob over key ids")
    owner: str
    reason: str
    expires_at: Timestamp | None
    created_at: Timestamp | None
    created_by: str
    revoked_at: Timestamp | None
    state: WaiverState = Field(description="state at the as-of time")
    matched: int = Field(description="findings it matched in this run")


class Summary(Record):
    """Counts: findings by severity and environment, waivers, control statuses."""

    findings: int
    open: int = Field(description="findings not covered by a waiver in force")
    by_severity: dict[str, int] = Field(description="every severity, waived findings included")
    waived: int
    expired_waivers: int = Field(description="findings whose waiver has lapsed")
    by_environment: dict[str, dict[str, int]] = Field(
        description="environment -> severity -> findings ('unknown' without one)"
    )
    controls: dict[str, dict[str, int]] = Field(description="framework -> status -> controls")
    not_evaluated_rules: list[str] = Field(description="rules whose input was missing")


class ResultDocument(Record):
    """The whole result of one audit run; no run id, creation time or actor (they vary)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    schema_id: Literal["keyvigil.audit-result/1"] = Field(
        alias="schema", description="this contract's name and version"
    )
    as_of: Timestamp
    period: Period
    organisation: str = Field(description="from the policy")
    tool_version: str = Field(description="keyvigil's version")
    ruleset_version: str = Field(description="digest of every rule's metadata")
    frameworks_selected: list[str] = Field(description="framework ids, in report order")
    inputs: list[InputFile] = Field(description="every file read, with its SHA-256")
    policy: Json = Field(description="the effective policy every rule read")
    policy_digest: str = Field(description="SHA-256 of the effective policy")
    rules: list[RuleRecord] = Field(description="every rule of the catalogue, in its order")
    findings: list[FindingRecord] = Field(description="by severity, rule and subject")
    keys: list[KeyRecord] = Field(description="every key in scope, by provider and key id")
    usage: list[UsageRecord] = Field(description="per-key log activity (empty without logs)")
    logs: LogsSection | None = Field(description="null when no logs were given")
    waivers: list[WaiverRecord] = Field(description="every waiver known at the run")
    frameworks: list[FrameworkRecord] = Field(description="each selected framework's controls")
    summary: Summary

    def canonical(self) -> bytes:
        """The document's canonical bytes (what is stored and written as JSON)."""
        return canonical_bytes(self.model_dump(by_alias=True))

    @classmethod
    def from_bytes(cls, data: bytes | str) -> ResultDocument:
        """Read a stored or written document back (validated)."""
        return cls.model_validate_json(data)
