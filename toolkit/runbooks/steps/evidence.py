"""Evidence steps: files copied into the evidence store, each with a note."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.runbooks.schema import EvidenceStep
from toolkit.runbooks.steps.common import collect_files
from toolkit.runbooks.steps.interface import StepContext, StepOutcome


@dataclass(frozen=True)
class EvidenceHandler:
    """Ask for files (or read ``files:``); the engine stores and records them."""

    type: str = "evidence"

    def run(self, ctx: StepContext) -> StepOutcome:
        """At least ``min_files`` files."""
        step = ctx.flat.step
        assert isinstance(step, EvidenceStep)
        files = collect_files(ctx, step.min_files, step.prompt)
        return StepOutcome("done", {"files": [path.name for path, _ in files]}, files=files)
