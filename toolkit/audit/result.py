"""The audit result document as a typed, frozen model: what every output and report reads.

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


class InputFile(Record):
    """One input file with its SHA-256 (``skipped`` only for logs)."""

    extracted_at: Timestamp | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="inventories only (absent otherwise): when the inventory was extracted",
    )
    extracted_basis: (
        Literal["stated in the file", "file modification time", "import time"] | None
    ) = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="where extracted_at comes from: the file's own statement, else the file's "
        "modification time, else (file not at hand) when it was imported",
    )
    kind: Literal["inventory", "logs", "scan"]
    name: str = Field(description="file name")
    path: str = Field(
        description="path relative to the input given: a file's name, or its path below the "
        "folder (or glob) it was found in, starting with that folder's name"
    )
    reader: str = Field(description="reader or log format that read it")
    records: int = Field(description="rows, records or events read")
    sha256: str
    skipped: int | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="logs only (absent otherwise): bad records skipped",
    )


class SourceLocation(Record):
    """Where a record was read: its file (relative to the input given) and line or record."""

    line: int | None = Field(description="line number in a line-oriented file (CSV, JSON Lines)")
    path: str = Field(description="the file, relative to the file or folder given")
    record: int | None = Field(
        description="record number in a JSON document (an inventory's keys, CloudTrail Records)"
    )


class KeyRef(Record):
    """The key fields a finding carries (never a secret value)."""

    environment: str | None
    fingerprint_prefix: str | None = Field(description="first 12 hex digits of the SHA-256")
    key_id: str = Field(description="the provider's identifier")
    name: str | None
    owner: str | None = Field(description="person or team answerable for the key")
    provider: str
    source: SourceLocation | None = Field(
        default=None, description="the inventory file and row it was read from (null: none)"
    )


class KeyRecord(Record):
    """A key in scope with its dates, age since rotation and number of findings.

    ``KeyRef``'s fields and its own, in one alphabetical list (not a subclass: pydantic puts a
    parent's fields first, and the serialised order must be the sorted one).
    """

    active: bool = Field(description="enabled and not revoked")
    age_days: int | None = Field(description="days since last rotation (else creation)")
    cardholder_data: bool = Field(
        description="protects stored account data (PCI DSS 3.6/3.7 scope): the inventory marks "
        "it so, or the policy marks its environment"
    )
    created_at: Timestamp | None
    environment: str | None
    expires_at: Timestamp | None
    finding_count: int
    fingerprint_prefix: str | None = Field(description="first 12 hex digits of the SHA-256")
    key_id: str = Field(description="the provider's identifier")
    key_type: str | None = Field(description="provider's kind of key")
    last_rotated_at: Timestamp | None
    last_used_at: Timestamp | None
    name: str | None
    owner: str | None = Field(description="person or team answerable for the key")
    provider: str
    revoked_at: Timestamp | None
    rotation_limit_days: int = Field(description="the environment's rotation period")


class FindingWaiver(Record):
    """The waiver covering a finding: in force (``waived``) or lapsed (``expired``)."""

    expires_at: Timestamp | None
    id: int
    owner: str
    reason: str
    state: Literal["waived", "expired"]


class ResponseRecord(Record):
    """Management's response to a finding: who fixes it by when, where it stands, what they said.

    Without a recorded response (``keyvigil finding respond``) the owner is the key's owner and
    the due date the policy's ``remediation_days`` for the finding's severity.
    """

    due: str = Field(description="remediation due date, YYYY-MM-DD (end of that day, UTC)")
    due_from: Literal["policy", "response"] = Field(
        description="policy: first_found + remediation_days of the severity; response: set"
    )
    first_found: str = Field(description="as-of date of the first stored run that found it")
    fixed_but_found: bool = Field(
        description="status fixed, recorded at or before the as-of, yet this run still finds it"
    )
    note: str | None = Field(description="the response text")
    overdue: bool = Field(
        description="due before the as-of date, not waived, and not fixed or risk accepted "
        "(a fix this run contradicts does not count)"
    )
    owner: str | None = Field(description="who answers for the fix (null: nobody known)")
    owner_from: Literal["key", "response"] | None = Field(
        description="key: the key's owner by default; response: named in the response"
    )
    responded_at: Timestamp | None = Field(description="when the response in force was recorded")
    responded_by: str | None = Field(description="who recorded it")
    status: ResponseStatus


class TraceRecord(Record):
    """The logged events behind a log finding: where they are, their ids, addresses and span."""

    countries: list[str] = Field(description="the first countries, in order of first use")
    countries_total: int = Field(description="distinct countries")
    events: int = Field(description="events behind the finding")
    first_event: Timestamp
    last_event: Timestamp
    locations: list[SourceLocation] = Field(description="where the first events are")
    request_ids: list[str] = Field(description="the log's own request ids of the first events")
    source_ips: list[str] = Field(description="the first source addresses, in order of first use")
    source_ips_total: int = Field(description="distinct source addresses")


class FindingRecord(Record):
    """One finding (waived ones included)."""

    environment: str | None = Field(description="the subject's environment, when known")
    evidence: Json = Field(description="the rule's own facts: dates, counts, windows")
    id: str = Field(description="stable across runs: SHA-256 of rule, provider, subject (16 hex)")
    key: KeyRef | None = Field(description="the inventory key the finding is about, if one")
    message: str = Field(description="one line saying what is wrong")
    provider: str | None = Field(description="the subject's provider, when known")
    response: ResponseRecord = Field(description="management's response (defaults if none)")
    rule_id: str
    severity: Severity
    subject: str = Field(description="key id, source address, file or 'logs'")
    tier: str | None = Field(description="the rule's alert tier: immediate, daily, weekly")
    trace: TraceRecord | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="log findings only (absent otherwise): the logged events behind it",
    )
    waiver: FindingWaiver | None = Field(description="the waiver covering it, if any")

    @property
    def waived(self) -> bool:
        """True when a waiver in force covers the finding (an expired one does not)."""
        return self.waiver is not None and self.waiver.state == "waived"


class UnjudgedRecord(Record):
    """A subject an evaluated rule could not judge, because its input cannot show the fact."""

    environment: str | None
    provider: str | None
    reason: str = Field(description="what is missing, e.g. usage unknown: no access logs")
    subject: str = Field(description="key id (or other subject) not judged")


class RuleRecord(Record):
    """A rule of the catalogue: metadata, the policy values it read, status and count."""

    description: str = Field(description="what is checked and which keys are in scope")
    findings: int = Field(description="findings of this rule, waived included")
    id: str = Field(description="stable kebab-case rule id")
    needs: list[str] = Field(description="inputs it needs: inventory, logs, scan")
    not_evaluated_for: list[UnjudgedRecord] = Field(
        default_factory=list,
        description="subjects the rule ran over but could not judge (controls then do not hold)",
    )
    reason: str | None = Field(description="why it was not evaluated")
    remediation: str = Field(description="what to do about a finding")
    severity: Severity
    status: Literal["evaluated", "not_evaluated"]
    thresholds: Json = Field(description="policy path -> value read")
    tier: str = Field(description="alert tier: immediate, daily, weekly")
    title: str


class GuardrailRecord(Record):
    """A policy value looser than the number the framework control states."""

    framework_value: AnyJson = Field(description="the framework's number")
    note: str
    policy_key: str = Field(description="dotted path into the policy")
    policy_value: AnyJson = Field(description="the organisation's value")


class AttestationRecord(Record):
    """A person's attestation in force at the as-of time that evidences a manual control."""

    at: Timestamp = Field(description="when it was attested")
    by: str = Field(description="the named person")
    checklist: str = Field(description="the checklist the attested item belongs to")
    evidence_sha256: str | None = Field(description="SHA-256 of the evidence file, if any")
    holds: bool = Field(description="false: the person stated that it does not hold")
    item: str = Field(description="the attested item's id")
    note: str
    until: Timestamp = Field(description="when it runs out (the item's period)")


class TestedRecord(Record):
    """What one of a control's rules tested: its population, exceptions and coverage."""

    coverage: Coverage = Field(
        description="full: its whole population was judged; partial: some of it (a scan covers "
        "only its folders); none: nothing was tested"
    )
    exceptions: int = Field(description="findings of the rule within the control's scope")
    population: int = Field(description="how many keys, log events or folders were tested")
    rule_id: str
    scope: list[str] = Field(description="what was tested: folders scanned, log files, keys")
    summary: str = Field(description="the population in words: 'N keys tested, M exceptions'")
    unit: str = Field(description="keys, log events, folders, or none")


class ControlRecord(Record):
    """One control of a framework with its status."""

    attestations: list[AttestationRecord] = Field(
        default_factory=list,
        exclude_if=lambda value: not value,
        description="manual controls only (absent when none): checklist attestations in force",
    )
    citation: str = Field(description="where the framework says so")
    coverage: Coverage = Field(
        description="full: its rules test the whole requirement over their whole population; "
        "partial: only part of it; none: nothing tested it"
    )
    coverage_note: str | None = Field(description="what the evidence leaves out (null: full)")
    findings: int = Field(description="findings of its rules in its scope, waived included")
    guardrails: list[GuardrailRecord] = Field(description="policy values looser than those")
    id: str = Field(description="the framework's own control id")
    organisation_choice: str | None = Field(description="what the framework leaves to you")
    rationale: str | None = Field(description="why its rules evidence it, quoting the requirement")
    rules: list[str] = Field(description="rules that evidence it (empty: manual)")
    scope: str = Field(description="all-keys, or cardholder-data: only keys marked so count")
    statement: str = Field(description="what the control requires")
    status: ControlStatus = Field(
        description="fails: an unwaived finding in scope; holds: no finding and full coverage; "
        "not_evaluated: a rule lacked input or could not judge some key; manual: no rule maps "
        "to it, or its evidence covers the requirement only in part (listed in tested)"
    )
    tested: list[TestedRecord] = Field(
        description="per rule: the population tested, its exceptions and coverage"
    )
    thresholds: Json = Field(description="numbers the framework states")
    title: str
    waived: int = Field(description="findings covered by a waiver in force")


class FrameworkRecord(Record):
    """A selected framework and every one of its controls."""

    controls: list[ControlRecord]
    id: str = Field(description="soc2, pci-dss, gdpr, hipaa or your own")
    name: str
    source: str = Field(description="the framework text the mapping follows")
    version: str


class UsageRecord(Record):
    """One inventory key's logged activity (zero counts when the logs never show it)."""

    attributed_via: str | None = Field(description="key_id, or principal for placeholders")
    countries: list[str]
    denied: int
    events: int
    failures: int = Field(description="failed authentications")
    first_event: Timestamp | None
    key_id: str
    last_event: Timestamp | None
    provider: str
    source_ips: int = Field(description="distinct source addresses")
    successes: int


class DayCount(Record):
    """A count for one UTC day."""

    count: int
    day: str = Field(description="YYYY-MM-DD")


class LogSource(Record):
    """One log file read."""

    events: int
    format: str = Field(description="log format read: house, cloudtrail, vault")
    path: str
    skipped: int


class LogsSection(Record):
    """The access logs: span, counts, sources and daily series."""

    end: Timestamp | None = Field(description="last event")
    events: int
    events_daily: list[DayCount] = Field(description="events per day up to as-of")
    failed_auth_daily: list[DayCount] = Field(description="failed authentications per day")
    skipped: int = Field(description="bad records skipped (--skip-bad-records)")
    sources: list[LogSource]
    start: Timestamp | None = Field(description="first event")


class WaiverRecord(Record):
    """A waiver known at the run, with its state at as-of and the findings it matched."""

    approved_at: Timestamp | None = Field(description="when it was approved (null: unapproved)")
    approved_by: str | None = Field(description="who approved it (null: unapproved)")
    created_after_as_of: bool = Field(
        description="set after the run's as-of: granted after the period it excuses"
    )
    created_at: Timestamp | None
    created_by: str
    expires_at: Timestamp | None
    id: int
    key_pattern: str = Field(description="glob over key ids")
    matched: int = Field(description="findings it matched in this run")
    owner: str
    reason: str
    revoked_at: Timestamp | None
    rule_id: str
    state: WaiverState = Field(description="state at the as-of time")


class AccountRecord(Record):
    """One cloud account, project or vault (or a provider's keys without one) read."""

    account: str | None = Field(description="AWS account id, GCP project, Azure vault; null: none")
    keys: int = Field(description="keys read from it")
    provider: str


class GapRecord(Record):
    """Consecutive UTC days of the log period without a single logged event."""

    days: int
    first_day: str = Field(description="YYYY-MM-DD")
    last_day: str = Field(description="YYYY-MM-DD")


class ScopeRecord(Record):
    """What the audit covered: accounts, environments, log days without events, scanned folders."""

    accounts: list[AccountRecord] = Field(description="by provider and account")
    environments: Counts = Field(description="environment -> keys ('unknown' without one)")
    keys: int = Field(description="keys judged: the full population read, no sampling")
    log_gaps: list[GapRecord] = Field(
        description="days without events between the first log day "
        "and the as-of day (empty without logs)"
    )
    scan_roots: list[str] = Field(
        description="folders scanned for secrets, from the name of the folder they share"
    )


class Summary(Record):
    """Counts: findings by severity and environment, waivers, control statuses."""

    by_environment: NestedCounts = Field(
        description="environment -> severity -> findings ('unknown' without one)"
    )
    by_severity: Counts = Field(description="every severity, waived findings included")
    controls: NestedCounts = Field(description="framework -> status -> controls")
    expired_waivers: int = Field(description="findings whose waiver has lapsed")
    findings: int
    not_evaluated_rules: list[str] = Field(description="rules whose input was missing")
    open: int = Field(description="findings not covered by a waiver in force")
    overdue: int = Field(description="findings whose management response is overdue")
    responses: Counts = Field(description="response status -> findings (waived included)")
    waived: int


class ResultDocument(Record):
    """The whole result of one audit run; no run id, creation time or actor (they vary)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    as_of: Timestamp
    findings: list[FindingRecord] = Field(description="by severity, rule and subject")
    frameworks: list[FrameworkRecord] = Field(description="each selected framework's controls")
    frameworks_selected: list[str] = Field(description="framework ids, in report order")
    inputs: list[InputFile] = Field(description="every file read, with its SHA-256")
    keys: list[KeyRecord] = Field(description="every key in scope, by provider and key id")
    logs: LogsSection | None = Field(description="null when no logs were given")
    organisation: str = Field(description="from the policy")
    period: Period
    policy: Json = Field(description="the effective policy every rule read")
    policy_digest: str = Field(description="SHA-256 of the effective policy")
    rules: list[RuleRecord] = Field(description="every rule of the catalogue, in its order")
    ruleset_version: str = Field(description="digest of every rule's metadata")
    schema_id: Literal["keyvigil.audit-result/1"] = Field(
        alias="schema", description="this contract's name and version"
    )
    scope: ScopeRecord | None = Field(
        default=None, description="what was read: accounts, environments, log gaps, scan folders"
    )
    summary: Summary
    tool_version: str = Field(description="keyvigil's version")
    usage: list[UsageRecord] = Field(description="per-key log activity (empty without logs)")
    waivers: list[WaiverRecord] = Field(description="every waiver known at the run")

    def canonical(self) -> bytes:
        """The document's canonical bytes (what is stored and written as JSON).

        ``model_dump_json(by_alias=True, indent=2)`` encoded as UTF-8, taken as the serialiser's
        own bytes: no decoding to text and encoding back (a large document is 100 MB).
        """
        return self.__pydantic_serializer__.to_json(self, by_alias=True, indent=2) + b"\n"

    @classmethod
    def from_bytes(cls, data: bytes | str) -> ResultDocument:
        """Read a stored or written document back (validated)."""
        return cls.model_validate_json(data)
