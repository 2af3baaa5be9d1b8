"""Checklist steps: items ticked one by one, each tick kept as soon as it is made."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.runbooks.schema import ChecklistStep
from toolkit.runbooks.steps.common import invalid, missing
from toolkit.runbooks.steps.interface import StepContext, StepOutcome


@dataclass(frozen=True)
class ChecklistHandler:
    """Ask each item not ticked yet; a required item must be done (or the step skipped)."""

    type: str = "checklist"

    def run(self, ctx: StepContext) -> StepOutcome:
        """Ticks from the terminal (saved one by one) or from ``items:`` in the answers file."""
        step = ctx.flat.step
        assert isinstance(step, ChecklistStep)
        ticked: dict[str, bool] = dict(ctx.progress.get("items", {}))
        for item in step.items:
            if item.id in ticked:
                continue
            ticked[item.id] = self._tick(ctx, item.id, item.text, item.required)
            if ctx.interactive:
                ctx.save_progress({"items": dict(ticked)})
        return StepOutcome("done", {"items": ticked})

    def _tick(self, ctx: StepContext, item_id: str, text: str, required: bool) -> bool:
        """One item: done or not (a required item cannot be left undone)."""
        if not ctx.interactive:
            given = (ctx.answer.items or {}) if ctx.answer else {}
            if item_id not in given:
                if required:
                    raise missing(ctx, f"items.{item_id}")
                return False
            if required and not given[item_id]:
                raise invalid(ctx, f"items.{item_id}", "a required item must be done (or skip)")
            return bool(given[item_id])
        assert ctx.prompter is not None
        while True:
            done = ctx.prompter.confirm(f"[ ] {text} - done?", default=True)
            if done or not required:
                return done
            ctx.prompter.show("This item is required: do it, or type skip to skip the step.")
