"""The database tables: keys, imports, audit runs, findings, waivers, incidents and the trail."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from toolkit.models import KeyBase
from toolkit.sqltypes import UTCDateTime


class Key(KeyBase, table=True):
    """A stored inventory key, unique per (provider, key_id)."""

    __tablename__ = "keys"
    __table_args__ = (UniqueConstraint("provider", "key_id", name="uq_keys_provider_key_id"),)

    id: int | None = Field(default=None, primary_key=True)
    first_seen_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ImportRecord(SQLModel, table=True):
    """One imported file: what it was, which reader read it, how many rows."""

    __tablename__ = "imports"

    id: int | None = Field(default=None, primary_key=True)
    path: str
    sha256: str = Field(index=True)
    reader: str
    kind: str = Field(default="inventory")
    row_count: int
    imported_at: datetime = Field(sa_type=UTCDateTime)
    actor: str


class AuditRun(SQLModel, table=True):
    """One quarterly audit: its inputs, policy, frameworks, versions and summary."""

    __tablename__ = "audit_runs"

    id: str = Field(primary_key=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    as_of: datetime = Field(sa_type=UTCDateTime)
    actor: str
    inputs: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    policy: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    policy_digest: str
    frameworks: list[str] = Field(default_factory=list, sa_type=JSON)
    scope_digest: str = Field(index=True)
    tool_version: str
    ruleset_version: str
    summary: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    result_sha256: str | None = None
    result_json: str | None = Field(
        default=None, sa_type=Text, description="the canonical result document, byte for byte"
    )


class FindingRow(SQLModel, table=True):
    """One rule failing for one key (or source) in one audit run."""

    __tablename__ = "findings"

    id: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(foreign_key="audit_runs.id", index=True)
    finding_id: str = Field(index=True, description="stable across runs: rule + subject digest")
    rule_id: str = Field(index=True)
    severity: str
    subject: str = Field(description="key id, source IP or file the finding is about")
    provider: str | None = None
    environment: str | None = None
    message: str
    evidence: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    waiver_id: int | None = Field(default=None, foreign_key="waivers.id")
    waiver_state: str | None = Field(default=None, description="waived, expired or None")


class Waiver(SQLModel, table=True):
    """An owned, justified, expiring exception for a rule on keys matching a pattern."""

    __tablename__ = "waivers"

    id: int | None = Field(default=None, primary_key=True)
    rule_id: str = Field(index=True)
    key_pattern: str
    reason: str
    owner: str
    expires_at: datetime = Field(sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: str
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_by: str | None = None
    approved_by: str | None = Field(default=None, description="who approved it; None: unapproved")
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class FindingResponse(SQLModel, table=True):
    """Management's response to a finding, one row per change; the latest row is in force."""

    __tablename__ = "finding_responses"

    id: int | None = Field(default=None, primary_key=True)
    finding_id: str = Field(index=True, description="the finding's stable id (rule + subject)")
    owner: str | None = Field(default=None, description="who fixes it; None: the key's owner")
    due: date | None = Field(default=None, description="remediation due date; None: by policy")
    status: str = Field(description="open, in_progress, fixed or risk_accepted")
    note: str | None = Field(default=None, description="the response text")
    responded_at: datetime = Field(sa_type=UTCDateTime)
    responded_by: str


class Incident(SQLModel, table=True):
    """A key compromise or leak being worked through a runbook."""

    __tablename__ = "incidents"

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(unique=True, description="the incident's name, e.g. INC-2026-0001")
    type: str
    key_id: str = Field(index=True)
    key_provider: str | None = None
    playbook_id: str
    playbook_version: str | None = None
    playbook_sha256: str | None = Field(
        default=None, description="the playbook file it started with"
    )
    status: str = Field(default="open")
    severity: str | None = None
    commander: str | None = None
    opened_at: datetime = Field(sa_type=UTCDateTime)
    detected_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    aware_at: datetime = Field(sa_type=UTCDateTime, description="starts the regulatory clocks")
    exposure_start: datetime | None = Field(default=None, sa_type=UTCDateTime)
    exposure_end: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by: str | None = None
    close_reason: str | None = Field(default=None, description="why it was closed with steps open")
    opened_by: str
    summary: str | None = None
    lessons: str | None = Field(default=None, description="lessons learned, for the report")


class StepRecord(SQLModel, table=True):
    """What happened at one runbook step of one incident, one row per attempt."""

    __tablename__ = "step_records"
    __table_args__ = (
        UniqueConstraint("incident_id", "step_id", "attempt", name="uq_step_records_attempt"),
    )

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incidents.id", index=True)
    step_id: str
    attempt: int = Field(default=1, description="1, or more when retried or looped back to")
    step_type: str = Field(default="")
    status: str = Field(description="in_progress, done, skipped, not_applicable or failed")
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    recorded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    actor: str
    notes: str | None = None
    next_step: str | None = Field(default=None, description="where the run goes after this step")
    output: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class IncidentRole(SQLModel, table=True):
    """Who holds a role (commander, key owner, scribe, legal) on an incident, and since when."""

    __tablename__ = "incident_roles"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incidents.id", index=True)
    role: str
    person: str
    assigned_at: datetime = Field(sa_type=UTCDateTime)
    assigned_by: str
    renounced_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Evidence(SQLModel, table=True):
    """A file kept as evidence (by digest), for an incident or a checklist item."""

    __tablename__ = "evidence"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int | None = Field(default=None, foreign_key="incidents.id", index=True)
    step_id: str | None = Field(default=None, description="the runbook step that collected it")
    path: str = Field(description="file name as given (the stored copy is named by its digest)")
    sha256: str
    size: int
    description: str | None = None
    added_at: datetime = Field(sa_type=UTCDateTime)
    actor: str


class Attestation(SQLModel, table=True):
    """A named person's statement that one checklist item holds (or not), valid for its period."""

    __tablename__ = "attestations"

    id: int | None = Field(default=None, primary_key=True)
    checklist: str = Field(index=True)
    item_id: str
    status: str = Field(description="holds or fails: what the person stated")
    attested_by: str = Field(description="the named person answerable for the statement")
    note: str
    evidence_id: int | None = Field(default=None, foreign_key="evidence.id")
    attested_at: datetime = Field(sa_type=UTCDateTime)
    valid_until: datetime = Field(sa_type=UTCDateTime, description="attested_at + item period")
    actor: str = Field(description="who recorded it in keyvigil")
    controls: list[str] = Field(
        default_factory=list, sa_type=JSON, description="manual framework controls it evidences"
    )


class ScheduledRevocation(SQLModel, table=True):
    """A key's revocation planned for the end of its replacement's overlap window."""

    __tablename__ = "scheduled_revocations"

    id: int | None = Field(default=None, primary_key=True)
    provider: str
    key_id: str = Field(index=True)
    replaced_by: str | None = None
    due_at: datetime = Field(sa_type=UTCDateTime)
    reason: str
    scheduled_at: datetime = Field(sa_type=UTCDateTime)
    scheduled_by: str
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class TrailEntry(SQLModel, table=True):
    """One link of the tamper-evident audit trail; ``ts`` is kept as the exact hashed text."""

    __tablename__ = "trail"

    seq: int = Field(primary_key=True)
    ts: str
    actor: str
    action: str
    payload: str = Field(description="canonical JSON, no secrets")
    prev_hash: str
    hash: str = Field(unique=True)
