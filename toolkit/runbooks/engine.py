"""The resumable step engine: find where the run stands, do one step, commit, repeat.

Where the run stands is read from the stored records every time (a new process, another
machine, a second commander all see the same place): the newest record's step when it is in
progress or failed, else the step its record said comes next.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from toolkit.errors import IncidentError, PlaybookError
from toolkit.keys import NewSecret
from toolkit.rules.policy import Policy
from toolkit.runbooks import complete
from toolkit.runbooks.answers import AnswersFile, StepAnswer
from toolkit.runbooks.checks import END
from toolkit.runbooks.clocks import all_clocks
from toolkit.runbooks.loader import find_playbook
from toolkit.runbooks.model import FAILED, IN_PROGRESS, IncidentView, LogSource, StepView
from toolkit.runbooks.records import (
    Conflict,
    find_incident,
    records_of,
    start_record,
    with_retry,
)  # fmt: skip
from toolkit.runbooks.runbook import FlatStep, Runbook, build_runbook
from toolkit.runbooks.scope import Scope
from toolkit.runbooks.steps import (
    AUTOMATIC,
    HANDLERS,
    Prompter,
    SkipRequested,
    StepContext,
    StepOutcome,
)
from toolkit.store.engine import Store


@dataclass(frozen=True)
class RunOptions:
    """How to run: who, what time it is, where answers come from, what the actions may read."""

    actor: str
    clock: Callable[[], datetime]
    policy: Policy
    evidence_root: Path
    logs: LogSource = LogSource()
    answers: AnswersFile | None = None
    answers_path: Path | None = None
    prompter: Prompter | None = None
    retry: str | None = None
    playbooks: Path | None = None
    new_secret: Callable[[], NewSecret] | None = None


@dataclass(frozen=True)
class RunResult:
    """Where a run ended: finished, stopped at a failed step, or waiting for answers."""

    ref: str
    finished: bool
    done: int
    failed: str | None = None
    message: str = ""


def load_runbook(incident: IncidentView, sha256: str | None, options: RunOptions) -> Runbook:
    """The incident's playbook, refused when its file changed since the incident was opened."""
    loaded = find_playbook(incident.playbook_id, options.playbooks)
    if sha256 and loaded.sha256 != sha256:
        raise PlaybookError(
            f"{loaded.path}: changed since {incident.ref} was opened (sha256 {sha256[:12]} -> "
            f"{loaded.sha256[:12]}); restore it to resume the incident"
        )
    return build_runbook(loaded, options.policy, options.playbooks)


def read_state(session: Session, ref: str) -> tuple[IncidentView, str | None, list[StepView]]:
    """The incident, its playbook digest and its records."""
    row = find_incident(session, ref)
    view = IncidentView.of(row)
    return view, row.playbook_sha256, records_of(session, view.id)


def frontier(runbook: Runbook, records: list[StepView]) -> tuple[str, str | None]:
    """(step key, its open status) where the run stands; END when it is finished."""
    if not records:
        return runbook.steps[0].key, None
    latest = records[-1]
    if latest.status in (IN_PROGRESS, FAILED):
        return latest.step_id, latest.status
    return latest.next_step or END, None


def run_incident(store: Store, ref: str, options: RunOptions) -> RunResult:
    """Walk the incident's steps from where it stands until the end or a failed step."""
    done = 0
    with store.session() as session:
        incident, sha, _records = read_state(session, ref)
    if incident.status != "open":
        raise IncidentError(f"incident {ref}: closed; nothing to run")
    runbook = load_runbook(incident, sha, options)
    while True:
        with store.session() as session:
            incident, _sha, records = read_state(session, ref)
        key, status = frontier(runbook, records)
        if key == END:
            return RunResult(ref, True, done, message="every step is recorded")
        if status == FAILED and options.retry != key:
            reason = next(r.notes for r in reversed(records) if r.step_id == key)
            message = f"step {key} failed: {reason}; re-run it with --retry {key}"
            return RunResult(ref, False, done, failed=key, message=message)
        flat = runbook.steps[runbook.index(key)]
        do_step(store, runbook, flat, incident, records, options)
        done += 1


def current_time(options: RunOptions, records: list[StepView]) -> datetime:
    """The clock, but never before the last recorded step (answers may be back-filled later)."""
    now = options.clock()
    recorded = [r.completed_at for r in records if r.completed_at is not None]
    return max([now, *recorded])


def expected_attempt(records: list[StepView], key: str) -> int:
    """The attempt this run is about to work on: the open one, else one more than the last."""
    mine = [r for r in records if r.step_id == key]
    if mine and mine[-1].status == IN_PROGRESS:
        return mine[-1].attempt
    return max((r.attempt for r in mine), default=0) + 1


def answer_for(options: RunOptions, key: str) -> StepAnswer | None:
    """The answers file's entry for a step (None when running on a terminal)."""
    if options.answers is None:
        return None
    return options.answers.steps.get(key)


def do_step(
    store: Store, runbook: Runbook, flat: FlatStep, incident: IncidentView,
    records: list[StepView], options: RunOptions,
) -> None:  # fmt: skip
    """Run one step and record it (condition, automatic step, or start-ask-complete)."""
    scope = Scope.of(incident, records)
    answer = answer_for(options, flat.key)
    at = (answer.at if answer and answer.at else None) or current_time(options, records)
    if flat.step.when:
        result = scope.evaluate(flat.step.when, flat.namespace)
        if not result.value:
            complete.not_applicable(store, runbook, flat, incident, options.actor, at, result.read,
                                    expected_attempt(records, flat.key))  # fmt: skip
            return
    if flat.step.type in AUTOMATIC:
        ctx = context(store, runbook, flat, incident, records, options, {}, at)
        outcome = HANDLERS[flat.step.type].run(ctx)
        complete.automatic(store, runbook, flat, incident, options.actor, at, outcome,
                           expected_attempt(records, flat.key))  # fmt: skip
        return
    actor = answer.by if answer and answer.by else options.actor
    attempt = expected_attempt(records, flat.key)
    work = lambda s: start_record(s, incident, flat.key, flat.step.type, actor, at, attempt)  # noqa: E731
    try:
        record = with_retry(store, work, f"step {flat.key}")
    except Conflict:
        _say(options, f"Step {flat.key} was recorded by someone else meanwhile.")
        return
    outcome = ask(store, runbook, flat, incident, records, options, record, at)
    complete.finish(store, runbook, flat, incident, record, actor, outcome, options)


def ask(
    store: Store, runbook: Runbook, flat: FlatStep, incident: IncidentView, records: list[StepView],
    options: RunOptions, record: StepView, at: datetime,
) -> StepOutcome:  # fmt: skip
    """The handler's outcome; a skip (asked for or in the answers file) with its reason."""
    answer = answer_for(options, flat.key)
    if answer is not None and answer.skip:
        return _skip(flat, answer.skip, options)
    if options.answers is not None and answer is None and options.prompter is None:
        raise IncidentError(f"{options.answers_path}: steps.{flat.key}: missing (required answer)")
    ctx = context(store, runbook, flat, incident, records, options, record.output, at, record)
    show_header(runbook, flat, incident, records, options, at)
    while True:
        try:
            return HANDLERS[flat.step.type].run(ctx)
        except SkipRequested:
            if not flat.step.skippable:
                _say(options, "This step cannot be skipped.")
                continue
            assert options.prompter is not None
            reason = options.prompter.ask("Reason for skipping", check=_required)
            return _skip(flat, reason, options)


def _skip(flat: FlatStep, reason: str, options: RunOptions) -> StepOutcome:
    """A skip outcome; a step the playbook marks not skippable refuses."""
    if not flat.step.skippable:
        where = options.answers_path or "terminal"
        raise IncidentError(f"{where}: steps.{flat.key}: skip: this step cannot be skipped")
    return StepOutcome("skipped", {"reason": reason}, notes=reason)


def _required(text: str) -> str:
    """A non-empty reason."""
    if not text.strip():
        raise ValueError("a reason is required")
    return text.strip()


def _say(options: RunOptions, text: str) -> None:
    """A line on the terminal, if there is one."""
    if options.prompter is not None:
        options.prompter.show(text)


def context(
    store: Store, runbook: Runbook, flat: FlatStep, incident: IncidentView, records: list[StepView],
    options: RunOptions, progress: dict[str, object], at: datetime,
    store_record: StepView | None = None,
) -> StepContext:  # fmt: skip
    """The handler's view of the step (answers entry or terminal, progress, clocks)."""
    scope = Scope.of(incident, records)
    answer = answer_for(options, flat.key)
    interactive = answer is None and options.answers is None
    return StepContext(
        flat=flat,
        runbook=runbook,
        answer=answer,
        prompter=options.prompter if interactive or flat.step.type in AUTOMATIC else None,
        source=f"answers file {options.answers_path}" if options.answers else "terminal",
        progress=progress,
        save_progress=complete.progress_saver(store, incident, store_record),
        evaluate=lambda text: scope.evaluate(text, flat.namespace),
        clocks=lambda when: all_clocks(runbook, incident, records, when),
        at=at,
        outputs=scope.outputs(),
    )


def show_header(
    runbook: Runbook, flat: FlatStep, incident: IncidentView, records: list[StepView],
    options: RunOptions, at: datetime,
) -> None:  # fmt: skip
    """The step's title, phase, role and due time, and how to get help."""
    if options.prompter is None or options.answers is not None:
        return
    number = runbook.index(flat.key) + 1
    prompter = options.prompter
    prompter.set_guidance(flat.step.guidance or flat.step.title)
    prompter.show("")
    prompter.show(f"== Step {number}/{len(runbook.steps)} [{flat.phase}] {flat.step.title}")
    due = complete.due_text(runbook, flat, incident, records, at)
    role = runbook.playbook.roles.get(flat.step.role)
    extra = f"role: {role.title if role else flat.step.role}" + (f"; {due}" if due else "")
    prompter.show(
        f"   {extra}; type ? for guidance" + ("" if not flat.step.skippable else ", skip to skip")
    )
