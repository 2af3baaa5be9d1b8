"""What a step handler is: it asks (or reads the answers file) and returns an outcome."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from toolkit.runbooks.actions import SecretSink
from toolkit.runbooks.answers import StepAnswer
from toolkit.runbooks.clocks import ClockStatus
from toolkit.runbooks.expr import Evaluation
from toolkit.runbooks.runbook import FlatStep, Runbook


class SkipRequested(Exception):
    """The commander typed ``skip`` at a prompt."""


class Prompter(Protocol):
    """The terminal: prompts with defaults shown, ``?`` for guidance, ``skip`` to skip."""

    def show(self, text: str) -> None:
        """Print a line for the commander."""
        ...

    def set_guidance(self, text: str) -> None:
        """What ``?`` shows while the current step runs."""
        ...

    def ask(
        self, prompt: str, *, default: str | None = None, check: Callable[[str], Any] | None = None
    ) -> Any:
        """Ask until ``check`` accepts the text (its ValueError is shown); return its value."""
        ...

    def confirm(self, prompt: str, *, default: bool = True) -> bool:
        """A yes/no question."""
        ...


@dataclass(frozen=True)
class StepOutcome:
    """What a step produced: status, answers/outputs, notes, where to go, facts, evidence files."""

    status: str
    output: Mapping[str, Any] = field(default_factory=dict)
    notes: str | None = None
    goto: str | None = None
    facts: Mapping[str, Any] = field(default_factory=dict)
    files: tuple[tuple[Path, str | None], ...] = ()
    at: datetime | None = None
    action: ActionRequest | None = None


@dataclass(frozen=True)
class ActionRequest:
    """An action the engine runs inside the transaction that records the step."""

    params: Mapping[str, Any]
    deliver: SecretSink | None = None


@dataclass(frozen=True)
class StepContext:
    """What a handler may use: the step, the answers entry or a terminal, and the engine's help."""

    flat: FlatStep
    runbook: Runbook
    answer: StepAnswer | None
    prompter: Prompter | None
    source: str
    """'answers file PATH' or 'terminal', for error messages."""
    progress: Mapping[str, Any]
    """What an interrupted earlier try of this step already recorded (checklist ticks)."""
    save_progress: Callable[[dict[str, Any]], None]
    evaluate: Callable[[str], Evaluation]
    clocks: Callable[[datetime], list[ClockStatus]]
    at: datetime
    outputs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Outputs of the steps done so far, by step key."""

    @property
    def interactive(self) -> bool:
        """True when answers come from a terminal."""
        return self.answer is None and self.prompter is not None


class StepHandler(Protocol):
    """Runs one type of step."""

    @property
    def type(self) -> str:
        """The step type it runs."""
        ...

    def run(self, ctx: StepContext) -> StepOutcome:
        """Ask or read, then say what happened."""
        ...
