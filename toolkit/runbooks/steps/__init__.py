"""Step types, one handler module each, registered here by the name playbooks use."""

from __future__ import annotations

from toolkit.runbooks.steps.ack import AckHandler
from toolkit.runbooks.steps.action import ActionHandler
from toolkit.runbooks.steps.checklist import ChecklistHandler
from toolkit.runbooks.steps.decision import DecisionHandler
from toolkit.runbooks.steps.evidence import EvidenceHandler
from toolkit.runbooks.steps.include import IncludeHandler
from toolkit.runbooks.steps.interface import (
    ActionRequest,
    Prompter,
    SkipRequested,
    StepContext,
    StepHandler,
    StepOutcome,
)
from toolkit.runbooks.steps.notify import NotifyHandler
from toolkit.runbooks.steps.question import QuestionHandler

HANDLERS: dict[str, StepHandler] = {
    handler.type: handler
    for handler in (
        AckHandler(),
        ChecklistHandler(),
        QuestionHandler(),
        DecisionHandler(),
        ActionHandler(),
        EvidenceHandler(),
        NotifyHandler(),
        IncludeHandler(),
    )
}
"""Every step type; ``checks.STEP_TYPES`` lists the same names (a test holds them equal)."""
AUTOMATIC = ("decision", "include")
"""Types that ask nothing: they are not started separately and cannot be skipped."""

__all__ = [
    "AUTOMATIC",
    "HANDLERS",
    "ActionRequest",
    "Prompter",
    "SkipRequested",
    "StepContext",
    "StepHandler",
    "StepOutcome",
]
