"""Item status: holds, fails, attested, expired or not yet assessed, with what it rests on."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from toolkit.checklists import attestations
from toolkit.checklists.attestations import AttestationView
from toolkit.checklists.evaluators import EVALUATORS
from toolkit.checklists.evaluators.interface import EvidenceContext, FindingRef, Outcome, Verdict
from toolkit.checklists.model import Checklist, Item
from toolkit.timeutil import isoformat


class State(StrEnum):
    """What a manager sees per item."""

    HOLDS = "holds"
    FAILS = "fails"
    ATTESTED = "attested"
    EXPIRED = "expired"
    NOT_ASSESSED = "not_assessed"


STATES = tuple(State)
LABELS = {
    State.HOLDS: "Holds",
    State.FAILS: "Fails",
    State.ATTESTED: "Attested",
    State.EXPIRED: "Expired",
    State.NOT_ASSESSED: "Not yet assessed",
}


@dataclass(frozen=True)
class ItemStatus:
    """One item's status at the as-of time, the reason, and the evidence or attestation."""

    item: Item
    state: State
    reason: str
    evidence: tuple[str, ...] = ()
    findings: tuple[FindingRef, ...] = ()
    attestation: AttestationView | None = None

    @property
    def needs_attestation(self) -> bool:
        """True for an attested item with no attestation in force (missing or run out)."""
        return not self.item.automatic and self.state in (State.EXPIRED, State.NOT_ASSESSED)

    @property
    def overdue(self) -> bool:
        """True when a manager must act: failing, expired or never assessed."""
        return self.state in (State.FAILS, State.EXPIRED, State.NOT_ASSESSED)


@dataclass(frozen=True)
class ChecklistStatus:
    """Every item of one checklist at one time."""

    checklist: Checklist
    as_of: datetime
    items: tuple[ItemStatus, ...]

    def counts(self) -> dict[str, int]:
        """Items per state, every state present."""
        seen = Counter(status.state for status in self.items)
        return {state.value: seen[state] for state in STATES}

    def needing_attestation(self) -> list[ItemStatus]:
        """Attested items whose attestation is missing or expired."""
        return [status for status in self.items if status.needs_attestation]


def from_verdict(item: Item, verdict: Verdict, as_of: datetime) -> ItemStatus:
    """An automatic item's status from its evaluator's verdict; evidence older than the item's
    period no longer counts (expired)."""
    if verdict.evidence_at is not None and as_of - verdict.evidence_at >= item.period.validity:
        reason = (
            f"the evidence, taken {isoformat(verdict.evidence_at)}, is older than the item's "
            f"period ({item.period.value}, {item.period.days} days); it showed: {verdict.reason}"
        )
        return ItemStatus(item, State.EXPIRED, reason, verdict.evidence, verdict.findings)
    state = {
        Outcome.HOLDS: State.HOLDS,
        Outcome.FAILS: State.FAILS,
        Outcome.NOT_ASSESSED: State.NOT_ASSESSED,
    }[verdict.outcome]
    return ItemStatus(item, state, verdict.reason, verdict.evidence, verdict.findings)


def from_attestation(item: Item, found: AttestationView | None, as_of: datetime) -> ItemStatus:
    """An attested item's status: attested, stated as failing, expired, or not yet assessed."""
    if found is None:
        return ItemStatus(item, State.NOT_ASSESSED, "no one has attested this item yet")
    until = isoformat(found.until)
    if not found.valid_at(as_of):
        reason = f"the attestation by {found.by} ran out on {until} ({item.period.value} item)"
        return ItemStatus(item, State.EXPIRED, reason, attestation=found)
    if not found.holds:
        reason = f"{found.by} stated on {isoformat(found.at)} that it does not hold: {found.note}"
        return ItemStatus(item, State.FAILS, reason, attestation=found)
    reason = f"attested by {found.by} on {isoformat(found.at)}, valid until {until}"
    return ItemStatus(item, State.ATTESTED, reason, attestation=found)


def evaluate(checklist: Checklist, ctx: EvidenceContext) -> ChecklistStatus:
    """Every item's status at ``ctx.as_of``: evaluators for automatic items, attestations else."""
    attested = attestations.latest(ctx.session, checklist.id, ctx.as_of)
    items = []
    for item in checklist.items:
        if item.evaluator is not None:
            items.append(from_verdict(item, EVALUATORS[item.evaluator](ctx), ctx.as_of))
        else:
            items.append(from_attestation(item, attested.get(item.id), ctx.as_of))
    return ChecklistStatus(checklist, ctx.as_of, tuple(items))


def evaluate_all(checklists: list[Checklist], ctx: EvidenceContext) -> list[ChecklistStatus]:
    """The status of each checklist at ``ctx.as_of``."""
    return [evaluate(checklist, ctx) for checklist in checklists]
