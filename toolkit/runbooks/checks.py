"""The checks a schema cannot make: references, expressions, actions, includes, dead ends."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from toolkit.rules.policy import CLOCK_EVENTS
from toolkit.runbooks.actions import ACTIONS
from toolkit.runbooks.expr import ExprError, names, parse
from toolkit.runbooks.schema import ActionStep, DecisionStep, IncludeStep, NotifyStep, Playbook

STEP_TYPES = ("ack", "checklist", "question", "decision", "action", "evidence", "notify", "include")
INPUTS = "inputs"
"""The id of the step that asks a playbook's ``inputs``."""
NEXT = "next"
"""A decision's ``default: next``: the following step."""
END = "(end)"

Problem = tuple[tuple[Any, ...], str]


def problems(playbook: Playbook, file_id: str, known: set[str]) -> list[Problem]:
    """Every problem of a shape-valid playbook, as (YAML location, message)."""
    found: list[Problem] = []
    if playbook.id != file_id:
        found.append((("id",), f"must equal the file name {file_id!r}"))
    ids = [step.id for step in playbook.steps]
    for index, step_id in enumerate(ids):
        if ids.index(step_id) != index or (step_id == INPUTS and playbook.inputs):
            found.append((("steps", index, "id"), f"duplicate step id {step_id!r}"))
    found += list(_references(playbook, set(ids), known))
    found += list(_expressions(playbook, set(ids)))
    found += list(_dead_ends(playbook))
    return found


def _references(playbook: Playbook, ids: set[str], known: set[str]) -> Iterator[Problem]:
    """Phases, roles, goto targets, actions and their parameters, includes, clocks."""
    phases = {phase.id for phase in playbook.phases}
    clocks = {clock.id for clock in playbook.clocks}
    for index, step in enumerate(playbook.steps):
        at = ("steps", index)
        if step.phase not in phases:
            yield (*at, "phase"), f"no phase {step.phase!r} (phases: {', '.join(sorted(phases))})"
        if step.role not in playbook.roles:
            yield (*at, "role"), f"no role {step.role!r} in roles"
        for mark in step.marks:
            if mark not in CLOCK_EVENTS:
                yield (*at, "marks"), f"unknown event {mark!r}"
        if step.due and step.due.clock and step.due.clock not in clocks:
            yield (*at, "due", "clock"), f"no clock {step.due.clock!r}"
        yield from _step_references(step, at, ids, known, clocks, playbook.id)
    for index, clock in enumerate(playbook.clocks):
        for stop in clock.stopped_by:
            if stop not in ids:
                yield ("clocks", index, "stopped_by"), f"no step {stop!r}"


def _step_references(
    step: Any, at: tuple[Any, ...], ids: set[str], known: set[str], clocks: set[str], own: str
) -> Iterator[Problem]:
    """The references particular to decisions, actions, includes and notifications."""
    if isinstance(step, DecisionStep):
        for number, case in enumerate(step.cases):
            if case.goto not in ids:
                yield (*at, "cases", number, "goto"), f"branch to a missing step {case.goto!r}"
        if step.default != NEXT and step.default not in ids:
            yield (*at, "default"), f"branch to a missing step {step.default!r}"
    elif isinstance(step, ActionStep):
        action = ACTIONS.get(step.uses)
        if action is None:
            yield (*at, "uses"), f"unknown action {step.uses!r} (known: {', '.join(ACTIONS)})"
        else:
            for name in step.with_:
                if name not in action.params:
                    yield (*at, "with", name), f"{step.uses} takes no parameter {name!r}"
    elif isinstance(step, IncludeStep):
        if step.playbook == own:
            yield (*at, "playbook"), "a playbook cannot include itself"
        elif step.playbook not in known:
            yield (*at, "playbook"), f"no playbook {step.playbook!r}"
    elif isinstance(step, NotifyStep):
        for stop in step.stops:
            if stop not in clocks:
                yield (*at, "stops"), f"no clock {stop!r}"


def _expressions(playbook: Playbook, ids: set[str]) -> Iterator[Problem]:
    """Every ``when``, ``if`` and ``applies_if`` parses and reads existing steps."""
    places: list[tuple[tuple[Any, ...], str]] = []
    for index, step in enumerate(playbook.steps):
        if step.when:
            places.append((("steps", index, "when"), step.when))
        if isinstance(step, DecisionStep):
            for number, case in enumerate(step.cases):
                places.append((("steps", index, "cases", number, "if"), case.if_))
    for index, clock in enumerate(playbook.clocks):
        if clock.applies_if:
            places.append((("clocks", index, "applies_if"), clock.applies_if))
    for loc, text in places:
        try:
            tree = parse(text)
        except ExprError as exc:
            yield loc, f"expression: {exc}"
            continue
        for name in names(tree):
            if name[0] in ("answers", "outputs", "status") and name[1] not in ids:
                yield loc, f"expression reads step {name[1]!r}, which does not exist"
            if name[0] == INPUTS and name[1] not in playbook.inputs:
                yield loc, f"expression reads input {name[1]!r}, which is not declared"


def successors(playbook: Playbook, index: int) -> list[str]:
    """Step ids (or END) the run may go to after step ``index``."""
    steps = playbook.steps
    following = steps[index + 1].id if index + 1 < len(steps) else END
    step = steps[index]
    if isinstance(step, DecisionStep):
        targets = [case.goto for case in step.cases]
        return [*targets, following if step.default == NEXT else step.default]
    return [following]


def _dead_ends(playbook: Playbook) -> Iterator[Problem]:
    """Steps from which the end cannot be reached: a cycle without exit."""
    ids = {step.id for step in playbook.steps}
    edges = {step.id: successors(playbook, i) for i, step in enumerate(playbook.steps)}
    reaches = {END}
    changed = True
    while changed:
        changed = False
        for step_id, targets in edges.items():
            if step_id not in reaches and any(t in reaches for t in targets if t in ids | {END}):
                reaches.add(step_id)
                changed = True
    for index, step in enumerate(playbook.steps):
        if step.id not in reaches:
            yield ("steps", index), f"cycle without exit: the run can never leave step {step.id!r}"
