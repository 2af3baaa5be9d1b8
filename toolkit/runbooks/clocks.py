"""Regulatory and internal clocks: when each started, when it is due, whether it was met."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from toolkit.runbooks.durations import parse_duration, span_text
from toolkit.runbooks.model import DONE, IncidentView, StepView
from toolkit.runbooks.runbook import ClockDef, Runbook
from toolkit.runbooks.schema import NotifyStep
from toolkit.runbooks.scope import Scope
from toolkit.timeutil import parse_timestamp

STATES = ("running", "overdue", "met", "late", "not_started", "not_applicable", "window")


@dataclass(frozen=True)
class ClockStatus:
    """One clock at one moment."""

    id: str
    title: str
    citation: str | None
    kind: str
    source: str
    starts: str
    due_text: str
    started_at: datetime | None
    due_at: datetime | None
    stopped_at: datetime | None
    stopped_by: str | None
    applies: bool | None
    """False: its condition does not hold; None: not yet known."""
    state: str
    detail: str


def incident_events(
    runbook: Runbook, incident: IncidentView, records: Sequence[StepView]
) -> dict[str, datetime]:
    """Event -> time: the incident's own times, then the earliest step marking each event."""
    events: dict[str, datetime] = {"opened": incident.opened_at, "aware": incident.aware_at}
    for name, value in (
        ("detected", incident.detected_at),
        ("exposure_start", incident.exposure_start),
        ("closed", incident.closed_at),
    ):
        if value is not None:
            events[name] = value
    keys = {flat.key: flat for flat in runbook.steps}
    for record in records:
        flat = keys.get(record.step_id)
        if flat is None or record.status != DONE or record.completed_at is None:
            continue
        for mark in flat.step.marks:
            when = _recorded_time(record, mark) or record.completed_at
            if mark not in events or when < events[mark]:
                events[mark] = when
    events.setdefault("discovered", events.get("detected", incident.aware_at))
    return events


def _recorded_time(record: StepView, mark: str) -> datetime | None:
    """The time an action reported for the event (a key revoked earlier keeps that time)."""
    value = (record.output.get("outputs") or {}).get(f"{mark}_at")
    return parse_timestamp(value) if isinstance(value, str) else None


def _stop(runbook: Runbook, definition: ClockDef, records: Sequence[StepView]) -> StepView | None:
    """The first done record that stops the clock (its stopped_by steps or a notify naming it)."""
    keys = {definition.namespace + step for step in definition.clock.stopped_by}
    by_key = {flat.key: flat for flat in runbook.steps}
    for record in records:
        flat = by_key.get(record.step_id)
        if record.status != DONE or flat is None:
            continue
        names_it = isinstance(flat.step, NotifyStep) and definition.clock.id in flat.step.stops
        if record.step_id in keys or names_it:
            return record
    return None


def clock_status(
    runbook: Runbook,
    definition: ClockDef,
    incident: IncidentView,
    records: Sequence[StepView],
    as_of: datetime,
) -> ClockStatus:
    """Where one clock stands at ``as_of``."""
    clock = definition.clock
    duration = parse_duration(clock.due)
    started = incident_events(runbook, incident, records).get(clock.starts)
    applies = _applies(definition, Scope.of(incident, records))
    due = duration.after(started) if started else None
    stop = _stop(runbook, definition, records)
    stopped = stop.completed_at if stop else None
    state, detail = _state(clock.kind, applies, started, due, stopped, as_of)
    return ClockStatus(
        clock.id, clock.title, clock.citation, clock.kind, definition.source, clock.starts,
        duration.text(), started, due, stopped, stop.step_id if stop else None, applies,
        state, detail,
    )  # fmt: skip


def _applies(definition: ClockDef, scope: Scope) -> bool | None:
    """True if any declaration's condition holds (or has none), False if all fail, else None."""
    conditions = ((definition.namespace, definition.clock.applies_if), *definition.also)
    answers: list[bool | None] = []
    for namespace, condition in conditions:
        if not condition:
            return True
        result = scope.evaluate(condition, namespace)
        known = all(value is not None for value in result.read.values())
        answers.append(True if result.value else (False if known else None))
    if True in answers:
        return True
    return False if all(answer is False for answer in answers) else None


def _state(
    kind: str, applies: bool | None, started: datetime | None, due: datetime | None,
    stopped: datetime | None, as_of: datetime,
) -> tuple[str, str]:  # fmt: skip
    """(state, one-line detail) of a clock."""
    if applies is False:
        return "not_applicable", "its condition does not hold for this incident"
    if started is None or due is None:
        return "not_started", "the event it runs from is not recorded yet"
    if kind == "window":
        if as_of >= due:
            return "window", f"ended {span_text(as_of - due)} ago"
        return "window", f"{span_text(due - as_of)} left"
    if stopped is not None:
        if stopped <= due:
            return "met", f"done {span_text(due - stopped)} before the deadline"
        return "late", f"done {span_text(stopped - due)} after the deadline"
    if as_of > due:
        return "overdue", f"overdue by {span_text(as_of - due)}"
    pending = " (applies if its condition turns out true)" if applies is None else ""
    return "running", f"{span_text(due - as_of)} left{pending}"


def all_clocks(
    runbook: Runbook, incident: IncidentView, records: Sequence[StepView], as_of: datetime
) -> list[ClockStatus]:
    """Every clock of the incident's runbook (playbook, includes and policy)."""
    return [clock_status(runbook, c, incident, records, as_of) for c in runbook.clocks]
