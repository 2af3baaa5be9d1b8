"""Question steps: typed answers, validated, some setting incident facts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from toolkit.runbooks.schema import FieldSpec, QuestionStep
from toolkit.runbooks.steps.common import invalid, missing
from toolkit.runbooks.steps.fields import convert, default_text
from toolkit.runbooks.steps.interface import StepContext, StepOutcome


@dataclass(frozen=True)
class QuestionHandler:
    """Ask each field with its default shown; check the answers file's values the same way."""

    type: str = "question"

    def run(self, ctx: StepContext) -> StepOutcome:
        """All fields answered (optional ones may be empty)."""
        step = ctx.flat.step
        assert isinstance(step, QuestionStep)
        answers: dict[str, Any] = {}
        for name, spec in step.fields.items():
            answers[name] = self._answer(ctx, name, spec)
        facts = {
            spec.fact: answers[name]
            for name, spec in step.fields.items()
            if spec.fact and answers[name] is not None
        }
        return StepOutcome("done", {"answers": answers}, facts=facts)

    def _answer(self, ctx: StepContext, name: str, spec: FieldSpec) -> Any:
        """One field's value."""
        if ctx.interactive:
            assert ctx.prompter is not None
            hint = f" [{'/'.join(spec.choices)}]" if spec.choices else ""
            hint = hint or (" (yes/no)" if spec.type == "bool" else "")
            return ctx.prompter.ask(
                f"{spec.prompt}{hint}",
                default=default_text(spec),
                check=lambda text: convert(spec, text),
            )
        given = (ctx.answer.answers or {}) if ctx.answer else {}
        if name not in given:
            if spec.required:
                raise missing(ctx, f"answers.{name}")
            return None
        try:
            return convert(spec, given[name])
        except ValueError as exc:
            raise invalid(ctx, f"answers.{name}", str(exc)) from None
