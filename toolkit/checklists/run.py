"""``checklist run``: evaluate every item, then record the attestations that are missing or
expired (asked on a terminal or taken from an answers file)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from sqlmodel import Session

from toolkit.checklists import attestations, status
from toolkit.checklists.attestations import Answer, EvidenceFile
from toolkit.checklists.evaluators.interface import EvidenceContext
from toolkit.checklists.model import Checklist
from toolkit.checklists.status import ChecklistStatus, ItemStatus
from toolkit.errors import ChecklistError
from toolkit.rules.policy import Policy
from toolkit.store.engine import Store
from toolkit.timeutil import isoformat
from toolkit.trail import append

TRAIL_ACTION = "checklist.run"


class AnswerSource(Protocol):
    """Where attestations come from: a person at a terminal, or an answers file."""

    def collect(
        self, checklist: Checklist, needed: Sequence[ItemStatus]
    ) -> list[tuple[Answer, EvidenceFile | None]]:
        """An answer for every item in ``needed`` (or an error naming the one missing)."""
        ...


@dataclass(frozen=True)
class NoAnswers:
    """No terminal and no answers file: an item that needs an attestation is an error."""

    def collect(
        self, checklist: Checklist, needed: Sequence[ItemStatus]
    ) -> list[tuple[Answer, EvidenceFile | None]]:
        """Refuse, naming the items that need an attestation."""
        names = ", ".join(status.item.id for status in needed)
        raise ChecklistError(
            f"{checklist.id}: {len(needed)} item(s) need an attestation ({names}) and there is no "
            "terminal to ask on; give --answers FILE"
        )


@dataclass(frozen=True)
class RunRequest:
    """One checklist run: which checklist, against what policy and time, by whom."""

    checklist: Checklist
    policy: Policy
    as_of: datetime
    actor: str
    playbooks: Path | None = None


@dataclass(frozen=True)
class RunResult:
    """The checklist before and after the run, and the items attested in it."""

    before: ChecklistStatus
    after: ChecklistStatus
    attested: tuple[str, ...]


def run_checklist(store: Store, request: RunRequest, source: AnswerSource) -> RunResult:
    """Evaluate, collect the needed attestations from ``source``, record them, re-evaluate.

    Answers are collected with no transaction open (a person may take minutes); every answer
    is checked before any is written, and the recording is one transaction.
    """
    with store.session() as session:
        before = status.evaluate(request.checklist, _context(session, request))
    needed = before.needing_attestation()
    answers = source.collect(request.checklist, needed) if needed else []
    with store.session() as session:
        for answer, evidence in answers:
            attestations.record(
                session, request.checklist, answer, evidence, actor=request.actor, at=request.as_of
            )
        after = status.evaluate(request.checklist, _context(session, request))
        payload = {
            "checklist": request.checklist.id,
            "as_of": isoformat(after.as_of),
            "attested": [answer.item_id for answer, _ in answers],
            "counts": after.counts(),
        }
        append(session, actor=request.actor, action=TRAIL_ACTION, payload=payload, at=request.as_of)
    return RunResult(before, after, tuple(answer.item_id for answer, _ in answers))


def _context(session: Session, request: RunRequest) -> EvidenceContext:
    """The evidence an evaluation of this run reads."""
    return EvidenceContext(session, request.policy, request.as_of, request.playbooks)
