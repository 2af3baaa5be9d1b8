"""Decision steps: the first case whose expression holds chooses the next step."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.runbooks.runbook import decision_targets
from toolkit.runbooks.schema import DecisionStep
from toolkit.runbooks.steps.interface import StepContext, StepOutcome


@dataclass(frozen=True)
class DecisionHandler:
    """Evaluate the cases in order; record the values that drove the choice."""

    type: str = "decision"

    def run(self, ctx: StepContext) -> StepOutcome:
        """Automatic: nothing is asked."""
        step = ctx.flat.step
        assert isinstance(step, DecisionStep)
        targets = decision_targets(ctx.runbook, ctx.flat)
        values: dict[str, object] = {}
        for number, case in enumerate(step.cases):
            result = ctx.evaluate(case.if_)
            values.update(result.read)
            if result.value:
                return self._chosen(ctx, case.if_, case.label, targets[number], values)
        return self._chosen(ctx, None, "default", targets[-1], values)

    def _chosen(
        self,
        ctx: StepContext,
        condition: str | None,
        label: str,
        target: str,
        values: dict[str, object],
    ) -> StepOutcome:
        """The outcome and a line for the commander."""
        shown = ", ".join(f"{k} = {v!r}" for k, v in values.items()) or "no values"
        if ctx.prompter is not None:
            ctx.prompter.show(f"Decision: {label or condition} -> {target} ({shown})")
        output = {
            "decision": {"condition": condition, "label": label, "goto": target, "values": values}
        }
        return StepOutcome("done", output, goto=target)
