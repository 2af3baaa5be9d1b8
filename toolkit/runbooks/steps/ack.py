"""Read-and-acknowledge steps."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.runbooks.schema import AckStep
from toolkit.runbooks.steps.common import missing
from toolkit.runbooks.steps.interface import StepContext, StepOutcome


@dataclass(frozen=True)
class AckHandler:
    """Show the text; the commander acknowledges it."""

    type: str = "ack"

    def run(self, ctx: StepContext) -> StepOutcome:
        """Acknowledged on the terminal, or ``ack: true`` in the answers file."""
        step = ctx.flat.step
        assert isinstance(step, AckStep)
        if ctx.interactive:
            assert ctx.prompter is not None
            ctx.prompter.show(step.text.strip())
            while not ctx.prompter.confirm("Acknowledged?", default=True):
                ctx.prompter.show("Read it again, type ? for guidance, or skip with a reason.")
        elif not (ctx.answer and ctx.answer.ack):
            raise missing(ctx, "ack")
        return StepOutcome("done", {"acknowledged": True})
