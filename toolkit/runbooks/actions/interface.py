"""What an automated action is: a name, the parameters it takes, and a function of a context."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from sqlmodel import Session

from toolkit.keys import NewSecret
from toolkit.rules.policy import Policy
from toolkit.runbooks.model import IncidentView, LogSource

Status = Literal["done", "not_run", "failed"]
SecretSink = Callable[[NewSecret], str]
"""Delivers a new key value (terminal or 0600 file) and says where it went; never stores it."""


@dataclass(frozen=True)
class ActionContext:
    """Everything an action may use; collaborators are passed in, nothing is global."""

    session: Session
    incident: IncidentView
    params: Mapping[str, Any]
    actor: str
    at: datetime
    policy: Policy
    logs: LogSource
    outputs: Mapping[str, Mapping[str, Any]]
    """Outputs of earlier steps, by step id."""
    deliver_secret: SecretSink | None = None
    new_secret: Callable[[], NewSecret] | None = None


@dataclass(frozen=True)
class ActionResult:
    """What an action did: done, not run (with the reason) or failed; outputs are plain JSON."""

    status: Status
    summary: str
    outputs: Mapping[str, Any] = field(default_factory=dict)


class Action(Protocol):
    """An automated step: ``name`` is what playbooks write after ``uses:``."""

    @property
    def name(self) -> str:
        """The id playbooks use."""
        ...

    @property
    def title(self) -> str:
        """What it does, for people."""
        ...

    @property
    def params(self) -> tuple[str, ...]:
        """The ``with:`` parameters it takes."""
        ...

    def run(self, ctx: ActionContext) -> ActionResult:
        """Carry the action out inside ``ctx.session`` (committed with the step record)."""
        ...
