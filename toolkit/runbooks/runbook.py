"""A playbook made runnable: includes expanded in place, step ids qualified, clocks gathered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from toolkit.errors import PlaybookError
from toolkit.rules.policy import IncidentClock, Policy
from toolkit.runbooks.checks import END, INPUTS, NEXT
from toolkit.runbooks.loader import LoadedPlaybook, find_playbook
from toolkit.runbooks.schema import DecisionStep, IncludeStep, Playbook, QuestionStep, Step

SEPARATOR = "/"


@dataclass(frozen=True)
class FlatStep:
    """A step in run order: ``key`` is its id qualified by the include it came through."""

    key: str
    step: Step
    namespace: str
    playbook_id: str
    phase: str
    """The phase's title."""


@dataclass(frozen=True)
class ClockDef:
    """A clock and the namespace its ``stopped_by`` step ids are relative to."""

    clock: IncidentClock
    namespace: str
    source: str
    """The playbook id, or 'policy'."""
    also: tuple[tuple[str, str | None], ...] = ()
    """(namespace, applies_if) of included playbooks declaring the same clock: any may apply it."""


@dataclass(frozen=True)
class Runbook:
    """The top playbook, its file digest and every step in order."""

    playbook: Playbook
    sha256: str
    steps: tuple[FlatStep, ...]
    clocks: tuple[ClockDef, ...]

    def index(self, key: str) -> int:
        """Position of the step ``key``; PlaybookError if the playbook no longer has it."""
        for position, flat in enumerate(self.steps):
            if flat.key == key:
                return position
        raise PlaybookError(f"playbook {self.playbook.id}: no step {key!r} (was it changed?)")

    def following(self, key: str) -> str:
        """The key of the step after ``key`` in run order (END after the last)."""
        position = self.index(key) + 1
        return self.steps[position].key if position < len(self.steps) else END

    def target(self, flat: FlatStep, local: str) -> str:
        """A goto target written in ``flat``'s playbook, as a key ('next': the following step)."""
        return self.following(flat.key) if local == NEXT else flat.namespace + local

    def by_local(self, namespace: str, local: str) -> FlatStep | None:
        """The step ``local`` of the playbook included at ``namespace``."""
        key = namespace + local
        return next((flat for flat in self.steps if flat.key == key), None)


def inputs_step(playbook: Playbook) -> QuestionStep:
    """The step asking the playbook's ``inputs`` first."""
    return QuestionStep(
        id=INPUTS, type="question", title="Incident facts", phase=playbook.phases[0].id,
        fields=playbook.inputs, guidance="Facts the later steps and the report rely on.",
        skippable=False,
    )  # fmt: skip


def _flatten(
    loaded: LoadedPlaybook, namespace: str, stack: Sequence[str], user: Path | None
) -> tuple[list[FlatStep], list[ClockDef]]:
    """The steps and clocks of ``loaded``, includes expanded after their include step."""
    playbook = loaded.playbook
    if playbook.id in stack:
        chain = " -> ".join([*stack, playbook.id])
        raise PlaybookError(f"playbook {stack[0]}: includes form a loop ({chain})")
    phases = {phase.id: phase.title for phase in playbook.phases}
    clocks = [ClockDef(clock, namespace, playbook.id) for clock in playbook.clocks]
    steps: list[FlatStep] = []
    own: list[Step] = [inputs_step(playbook)] if playbook.inputs else []
    for step in [*own, *playbook.steps]:
        steps.append(
            FlatStep(namespace + step.id, step, namespace, playbook.id, phases[step.phase])
        )
        if isinstance(step, IncludeStep):
            inner = find_playbook(step.playbook, user)
            more, inner_clocks = _flatten(
                inner, namespace + step.id + SEPARATOR, [*stack, playbook.id], user
            )
            steps += more
            clocks += inner_clocks
    return steps, clocks


def build_runbook(
    loaded: LoadedPlaybook, policy: Policy | None = None, user: Path | None = None
) -> Runbook:
    """The runnable form of a playbook: includes expanded, the policy's clocks added."""
    steps, clocks = _flatten(loaded, "", (), user)
    extra = [ClockDef(c, "", "policy") for c in (policy.incident_clocks if policy else ())]
    merged: dict[str, ClockDef] = {}
    for clock in clocks + extra:
        first = merged.get(clock.clock.id)
        if first is None:
            merged[clock.clock.id] = clock
        else:
            also = (*first.also, (clock.namespace, clock.clock.applies_if))
            merged[clock.clock.id] = replace(first, also=also)
    return Runbook(loaded.playbook, loaded.sha256, tuple(steps), tuple(merged.values()))


def decision_targets(runbook: Runbook, flat: FlatStep) -> list[str]:
    """Keys a decision may go to, in case order then default."""
    assert isinstance(flat.step, DecisionStep)
    step = flat.step
    return [runbook.target(flat, case.goto) for case in step.cases] + [
        runbook.target(flat, step.default)
    ]
