"""Recording a step's end: the record, its facts, evidence, the action's effects and the trail.

Each completion is one transaction; an action runs inside it, so a revocation and the step
that records it are committed together or not at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from toolkit.errors import ToolkitError
from toolkit.runbooks.actions import ACTIONS, ActionContext
from toolkit.runbooks.checks import END
from toolkit.runbooks.clocks import incident_events
from toolkit.runbooks.durations import parse_duration, span_text
from toolkit.runbooks.evidence import add_evidence
from toolkit.runbooks.model import DONE, FAILED, NOT_APPLICABLE, IncidentView, StepView
from toolkit.runbooks.records import (
    Conflict,
    next_attempt,
    open_row,
    records_of,
    set_fact,
    trail,
    with_retry,
)  # fmt: skip
from toolkit.runbooks.runbook import FlatStep, Runbook
from toolkit.runbooks.schema import ActionStep
from toolkit.runbooks.scope import Scope
from toolkit.runbooks.steps import StepOutcome
from toolkit.store.engine import Store
from toolkit.store.tables import StepRecord
from toolkit.timeutil import isoformat, parse_timestamp

if TYPE_CHECKING:
    from toolkit.runbooks.engine import RunOptions


def _digest(value: Any) -> str:
    """SHA-256 of canonical JSON: the trail keeps it for outputs too large to copy."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _trail_completion(
    session: Session, incident: IncidentView, row: StepRecord, at: datetime
) -> None:
    """The completion in the trail: answers, ticks, decisions in full; action outputs by digest."""
    output = dict(row.output or {})
    details = {k: v for k, v in output.items() if k != "outputs"}
    trail(
        session, incident, row.actor, f"incident.step.{row.status}", at, step=row.step_id,
        attempt=row.attempt, type=row.step_type, next=row.next_step, notes=row.notes,
        details=details, output_sha256=_digest(output),
    )  # fmt: skip


def not_applicable(
    store: Store, runbook: Runbook, flat: FlatStep, incident: IncidentView, actor: str,
    at: datetime, values: dict[str, Any], attempt: int,
) -> None:  # fmt: skip
    """Record that the step's condition did not hold, with the values read."""
    outcome = StepOutcome(NOT_APPLICABLE, {"condition": flat.step.when, "values": values})
    automatic(store, runbook, flat, incident, actor, at, outcome, attempt)


def automatic(
    store: Store, runbook: Runbook, flat: FlatStep, incident: IncidentView, actor: str,
    at: datetime, outcome: StepOutcome, attempt: int,
) -> None:  # fmt: skip
    """Record a step that asked nothing as ``attempt``; nothing when another run recorded it."""

    def work(session: Session) -> None:
        if next_attempt(session, incident.id, flat.key) != attempt:
            raise Conflict(flat.key)
        row = StepRecord(
            incident_id=incident.id, step_id=flat.key, step_type=flat.step.type,
            attempt=attempt, status=outcome.status,
            started_at=at, completed_at=at, recorded_at=at, actor=actor,
            next_step=outcome.goto or runbook.following(flat.key), output=dict(outcome.output),
        )  # fmt: skip
        session.add(row)
        session.flush()
        _trail_completion(session, incident, row, at)

    try:
        with_retry(store, work, f"step {flat.key}")
    except Conflict:
        return


def finish(
    store: Store, runbook: Runbook, flat: FlatStep, incident: IncidentView, record: StepView,
    actor: str, outcome: StepOutcome, options: RunOptions,
) -> bool:  # fmt: skip
    """Close the step's open record; False when another commander closed it first."""
    at = outcome.at or record.started_at or options.clock()
    try:
        with_retry(store, _closer(runbook, flat, incident, record, actor, outcome, options, at),
                   f"step {flat.key}")  # fmt: skip
    except Conflict:
        if options.prompter is not None:
            options.prompter.show(f"Step {flat.key} was recorded by someone else meanwhile.")
        return False
    except ToolkitError as exc:
        _fail(store, incident, record, actor, at, str(exc))
        return False
    return True


def _closer(
    runbook: Runbook, flat: FlatStep, incident: IncidentView, record: StepView, actor: str,
    outcome: StepOutcome, options: RunOptions, at: datetime,
) -> Callable[[Session], None]:  # fmt: skip
    """The transaction closing one record (re-run whole on a clash)."""

    def work(session: Session) -> None:
        row = open_row(session, incident.id, flat.key, record.attempt)
        status, output = outcome.status, {**(row.output or {}), **outcome.output}
        if outcome.action is not None:
            status, output = _act(session, flat, incident, actor, at, outcome, options)
        row.status, row.output, row.notes = status, output, outcome.notes or row.notes
        row.completed_at, row.recorded_at, row.actor = at, options.clock(), actor
        row.next_step = outcome.goto or runbook.following(flat.key)
        session.add(row)
        _facts(session, incident, outcome)
        for path, note in outcome.files:
            add_evidence(session, options.evidence_root, (incident.id, incident.ref), path,
                         note=note, actor=actor, at=at, step_id=flat.key)  # fmt: skip
        session.flush()
        _trail_completion(session, incident, row, at)

    return work


def _act(
    session: Session, flat: FlatStep, incident: IncidentView, actor: str, at: datetime,
    outcome: StepOutcome, options: RunOptions,
) -> tuple[str, dict[str, Any]]:  # fmt: skip
    """Run the step's action in this transaction; its result becomes the step's output."""
    assert isinstance(flat.step, ActionStep) and outcome.action is not None
    scope = Scope.of(incident, records_of(session, incident.id))
    ctx = ActionContext(
        session=session, incident=incident, params=outcome.action.params, actor=actor, at=at,
        policy=options.policy, logs=options.logs, outputs=_local(scope.outputs(), flat.namespace),
        deliver_secret=outcome.action.deliver, new_secret=options.new_secret,
    )  # fmt: skip
    result = ACTIONS[flat.step.uses].run(ctx)
    if options.prompter is not None:
        options.prompter.show(f"  {result.status.replace('_', ' ')}: {result.summary}")
    output = {"result": result.status, "summary": result.summary, "outputs": dict(result.outputs)}
    return (DONE if result.status == "done" else result.status), output


def _local(outputs: dict[str, dict[str, Any]], namespace: str) -> dict[str, dict[str, Any]]:
    """Outputs keyed by step id as the step's own playbook names them (plus every full key)."""
    local = {
        key[len(namespace) :]: value for key, value in outputs.items() if key.startswith(namespace)
    }
    return {**outputs, **local}


def _facts(session: Session, incident: IncidentView, outcome: StepOutcome) -> None:
    """Incident facts set by answers (exposure start, severity, summary, lessons)."""
    if not outcome.facts:
        return
    values = dict(outcome.facts)
    if "exposure_start" in values:
        values["exposure_start"] = parse_timestamp(values["exposure_start"])
    set_fact(session, incident.id, **values)


def _fail(
    store: Store, incident: IncidentView, record: StepView, actor: str, at: datetime, reason: str
) -> None:
    """Mark the open record failed with the reason (the run stops; --retry runs it again)."""

    def work(session: Session) -> None:
        row = open_row(session, incident.id, record.step_id, record.attempt)
        row.status, row.notes, row.completed_at, row.actor = FAILED, reason, at, actor
        session.add(row)
        session.flush()
        _trail_completion(session, incident, row, at)

    try:
        with_retry(store, work, f"step {record.step_id}")
    except Conflict:
        return


def progress_saver(
    store: Store, incident: IncidentView, record: StepView | None
) -> Callable[[dict[str, Any]], None]:
    """Keep a step's partial answers (checklist ticks) at once, merged into its open record."""

    def save(progress: dict[str, Any]) -> None:
        if record is None:
            return

        def work(session: Session) -> None:
            row = open_row(session, incident.id, record.step_id, record.attempt)
            merged = dict(row.output or {})
            for name, value in progress.items():
                old = merged.get(name)
                merged[name] = (
                    {**old, **value} if isinstance(old, dict) and isinstance(value, dict) else value
                )
            row.output = merged
            session.add(row)
            at = row.started_at or incident.opened_at
            trail(session, incident, row.actor, "incident.step.progress", at,
                  step=record.step_id, attempt=record.attempt, details=progress)  # fmt: skip

        with_retry(store, work, f"step {record.step_id}")

    return save


def due_text(
    runbook: Runbook, flat: FlatStep, incident: IncidentView, records: list[StepView], at: datetime
) -> str:
    """'due in 40 min' / 'overdue by 2 h 05 min' for a step with a due time, else ''."""
    due = flat.step.due
    if due is None:
        return ""
    start: datetime | None = None
    if due.clock:
        for clock in runbook.clocks:
            if clock.clock.id == due.clock:
                start = incident_events(runbook, incident, records).get(clock.clock.starts)
    elif due.event:
        start = incident_events(runbook, incident, records).get(due.event)
    if start is None:
        return ""
    deadline = parse_duration(due.within).after(start)
    if at > deadline:
        return f"overdue by {span_text(at - deadline)} (due {isoformat(deadline)})"
    return f"due in {span_text(deadline - at)} (by {isoformat(deadline)})"


__all__ = ["END", "automatic", "due_text", "finish", "not_applicable", "progress_saver"]
