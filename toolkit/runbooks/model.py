"""Frozen views of an incident and its step records, passed between the engine's parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from toolkit.store.tables import Incident, StepRecord

OPEN, CLOSED = "open", "closed"
DONE, SKIPPED, NOT_APPLICABLE = "done", "skipped", "not_applicable"
IN_PROGRESS, FAILED, NOT_RUN = "in_progress", "failed", "not_run"
RESOLVED = (DONE, SKIPPED, NOT_APPLICABLE, NOT_RUN)
"""Statuses after which the run moves on."""


@dataclass(frozen=True)
class IncidentView:
    """An incident's facts as the engine, actions and report read them."""

    id: int
    ref: str
    type: str
    key_id: str
    key_provider: str | None
    playbook_id: str
    playbook_version: str | None
    status: str
    severity: str | None
    commander: str | None
    opened_at: datetime
    opened_by: str
    detected_at: datetime | None
    aware_at: datetime
    exposure_start: datetime | None
    closed_at: datetime | None
    close_reason: str | None
    summary: str | None
    lessons: str | None

    @classmethod
    def of(cls, row: Incident) -> IncidentView:
        """The view of a stored incident."""
        assert row.id is not None
        return cls(
            row.id, row.ref, row.type, row.key_id, row.key_provider, row.playbook_id,
            row.playbook_version, row.status, row.severity, row.commander, row.opened_at,
            row.opened_by, row.detected_at, row.aware_at, row.exposure_start, row.closed_at,
            row.close_reason, row.summary, row.lessons,
        )  # fmt: skip


@dataclass(frozen=True)
class StepView:
    """One step record: what happened, who, when, and what was answered or produced."""

    step_id: str
    attempt: int
    step_type: str
    status: str
    actor: str
    started_at: datetime | None
    completed_at: datetime | None
    notes: str | None
    next_step: str | None
    output: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, row: StepRecord) -> StepView:
        """The view of a stored step record."""
        return cls(
            row.step_id, row.attempt, row.step_type, row.status, row.actor, row.started_at,
            row.completed_at, row.notes, row.next_step, dict(row.output or {}),
        )  # fmt: skip


@dataclass(frozen=True)
class LogSource:
    """Access logs an investigation step reads, and how to read them."""

    paths: tuple[Path, ...] = ()
    log_format: str | None = None
    skip_bad_records: bool = False
    assume_tz: str | None = None
