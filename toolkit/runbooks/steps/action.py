"""Action steps: confirm when the playbook asks, say where a new key value goes, then run."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from toolkit.keys import NewSecret, show_secret_once, write_secret_file
from toolkit.runbooks.actions import ACTIONS, SecretSink
from toolkit.runbooks.schema import ActionStep
from toolkit.runbooks.steps.common import missing, render
from toolkit.runbooks.steps.interface import ActionRequest, SkipRequested, StepContext, StepOutcome

NEEDS_SECRET = ("replace-key",)


@dataclass(frozen=True)
class ActionHandler:
    """The engine runs the action in the step's own transaction; this asks what it needs."""

    type: str = "action"

    def run(self, ctx: StepContext) -> StepOutcome:
        """Confirmation (when asked for) and, for new keys, where the value is delivered."""
        step = ctx.flat.step
        assert isinstance(step, ActionStep)
        action = ACTIONS[step.uses]
        if step.confirm:
            self._confirm(ctx, action.title)
        issued = any(output.get("replaces") for output in ctx.outputs.values())
        deliver = self._sink(ctx) if step.uses in NEEDS_SECRET and not issued else None
        return StepOutcome("done", action=ActionRequest(render(ctx, step.with_), deliver))

    def _confirm(self, ctx: StepContext, title: str) -> None:
        """Yes on the terminal or ``confirm: true`` in the answers file; no means skip."""
        if ctx.interactive:
            assert ctx.prompter is not None
            if not ctx.prompter.confirm(f"{title} now?", default=True):
                raise SkipRequested()
        elif not (ctx.answer and ctx.answer.confirm):
            raise missing(ctx, "confirm")

    def _sink(self, ctx: StepContext) -> SecretSink:
        """A 0600 file (``out``, or asked), else the terminal once."""
        if ctx.interactive:
            assert ctx.prompter is not None
            text = ctx.prompter.ask(
                "File for the new key value (Enter: show it here once)", default=""
            )
            return _file_sink(Path(text).expanduser()) if text else _terminal_sink
        if ctx.answer and ctx.answer.out:
            return _file_sink(Path(ctx.answer.out))
        raise missing(ctx, "out (a file for the new key value; it is shown only on a terminal)")


def _file_sink(path: Path) -> SecretSink:
    """Deliver into a new 0600 file; the record names the file, not the machine's folders."""

    def deliver(secret: NewSecret) -> str:
        write_secret_file(secret, path)
        return f"written to a new file named {path.name} (mode 0600)"

    return deliver


def _terminal_sink(secret: NewSecret) -> str:
    """Show the value once on the terminal."""
    show_secret_once(secret, sys.stdout)
    return "shown once on the terminal"
