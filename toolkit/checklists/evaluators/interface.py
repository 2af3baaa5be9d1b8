"""What an evaluator receives (the evidence the tool holds) and what it returns (a verdict)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from sqlmodel import Session

from toolkit.rules.policy import Policy


class Outcome(StrEnum):
    """An evaluator's judgement: holds, fails, or cannot tell from the evidence there is."""

    HOLDS = "holds"
    FAILS = "fails"
    NOT_ASSESSED = "not_assessed"


@dataclass(frozen=True)
class FindingRef:
    """A finding behind a failing item: which rule, about what, saying what."""

    rule_id: str
    subject: str
    message: str
    run_id: str


@dataclass(frozen=True)
class Verdict:
    """An automatic item's status with the reason and the evidence behind it."""

    outcome: Outcome
    reason: str
    evidence: tuple[str, ...] = ()
    findings: tuple[FindingRef, ...] = ()
    evidence_at: datetime | None = None
    """When the evidence was taken (an audit run's as-of); None: the current state."""


@dataclass(frozen=True)
class EvidenceContext:
    """The collaborators an evaluator may read: the database, the policy, the clock, playbooks."""

    session: Session
    policy: Policy
    as_of: datetime
    playbooks: Path | None = field(default=None)


Evaluate = Callable[[EvidenceContext], Verdict]
"""An evaluator: the verdict on one kind of item at ``ctx.as_of`` from the evidence there is."""
