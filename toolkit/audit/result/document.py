"""The whole document: waivers, scope, summary and the ResultDocument itself."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from toolkit.audit.result.base import (
    Counts,
    Json,
    NestedCounts,
    Period,
    Record,
    Timestamp,
    WaiverState,
)
from toolkit.audit.result.controls import FrameworkRecord, RuleRecord
from toolkit.audit.result.findings import FindingRecord
from toolkit.audit.result.inputs import InputFile, KeyRecord
from toolkit.audit.result.logs import LogsSection, UsageRecord
from toolkit.process import collector_paused


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
        """Read a stored or written document back (validated). The cycle collector sleeps
        meanwhile: a 100,000-key document is millions of objects, and its passes over them
        took two thirds of the read (3.9 s -> 1.3 s)."""
        with collector_paused():
            return cls.model_validate_json(data)
