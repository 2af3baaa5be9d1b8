"""Include steps: hand over to another playbook; its steps follow in the run."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.runbooks.schema import IncludeStep
from toolkit.runbooks.steps.interface import StepContext, StepOutcome


@dataclass(frozen=True)
class IncludeHandler:
    """Automatic: records the hand-over."""

    type: str = "include"

    def run(self, ctx: StepContext) -> StepOutcome:
        """Say which playbook takes over."""
        step = ctx.flat.step
        assert isinstance(step, IncludeStep)
        if ctx.prompter is not None:
            ctx.prompter.show(f"Handing over to playbook {step.playbook}: its steps follow.")
        return StepOutcome("done", {"playbook": step.playbook})
