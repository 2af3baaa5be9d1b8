"""Findings: the rule's verdict on one subject, its waiver, response and traced events."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from toolkit.audit.result.base import Json, Record, ResponseStatus, Severity, Timestamp
from toolkit.audit.result.inputs import KeyRef, SourceLocation


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
