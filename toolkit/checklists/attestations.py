"""Attestations: a named person states an item holds (or not), with a note and optional
evidence file (SHA-256 recorded); each is valid for the item's period."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from toolkit.checklists.model import Checklist, Item
from toolkit.errors import ChecklistError
from toolkit.store.tables import Attestation, Evidence
from toolkit.timeutil import ensure_utc, isoformat
from toolkit.trail import append

HOLDS, FAILS = "holds", "fails"
TRAIL_ACTION = "checklist.attest"


@dataclass(frozen=True)
class Answer:
    """What a person states about one item (from a terminal or an answers file)."""

    item_id: str
    holds: bool
    by: str
    note: str
    evidence: Path | None = None


@dataclass(frozen=True)
class EvidenceFile:
    """An evidence file's facts: where it was, its SHA-256 and size (the content is not kept)."""

    path: str
    sha256: str
    size: int


def evidence_facts(path: Path, where: str) -> EvidenceFile:
    """SHA-256 and size of a regular file; a FIFO, device or folder is refused at once."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise ChecklistError(
            f"{where}: {path}: cannot read evidence file: {exc.strerror}"
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise ChecklistError(f"{where}: {path}: evidence must be a regular file")
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise ChecklistError(
            f"{where}: {path}: cannot read evidence file: {exc.strerror}"
        ) from None
    return EvidenceFile(str(path), digest.hexdigest(), info.st_size)


def record(
    session: Session,
    checklist: Checklist,
    answer: Answer,
    evidence: EvidenceFile | None,
    *,
    actor: str,
    at: datetime,
) -> Attestation:
    """Store one attestation (and its evidence facts) valid for the item's period; trail it."""
    item = checklist.item(answer.item_id)
    evidence_row = _evidence_row(checklist, item, evidence, actor, at)
    if evidence_row is not None:
        session.add(evidence_row)
        session.flush()
    row = Attestation(
        checklist=checklist.id,
        item_id=item.id,
        status=HOLDS if answer.holds else FAILS,
        attested_by=answer.by,
        note=answer.note,
        evidence_id=evidence_row.id if evidence_row is not None else None,
        attested_at=at,
        valid_until=at + item.period.validity,
        actor=actor,
        controls=list(item.controls),
    )
    session.add(row)
    session.flush()
    payload = {
        "checklist": checklist.id,
        "item": item.id,
        "status": row.status,
        "attested_by": row.attested_by,
        "valid_until": isoformat(row.valid_until),
        "evidence_sha256": evidence.sha256 if evidence else None,
        "attestation_id": row.id,
        "controls": row.controls,
    }
    append(session, actor=actor, action=TRAIL_ACTION, payload=payload, at=at)
    return row


def _evidence_row(
    checklist: Checklist, item: Item, evidence: EvidenceFile | None, actor: str, at: datetime
) -> Evidence | None:
    """The evidence table's row for an attestation's file, if one was given."""
    if evidence is None:
        return None
    return Evidence(
        path=evidence.path,
        sha256=evidence.sha256,
        size=evidence.size,
        description=f"checklist {checklist.id}: {item.id}",
        added_at=at,
        actor=actor,
    )


@dataclass(frozen=True)
class AttestationView:
    """An attestation as a report shows it: who, when, until when, what they said, evidence."""

    holds: bool
    by: str
    at: datetime
    until: datetime
    note: str
    recorded_by: str
    evidence_path: str | None
    evidence_sha256: str | None

    def valid_at(self, as_of: datetime) -> bool:
        """True while the attestation has not run out at ``as_of``."""
        return as_of < self.until


def latest(session: Session, checklist_id: str, as_of: datetime) -> dict[str, AttestationView]:
    """Item id -> its most recent attestation made at or before ``as_of``."""
    query = (
        select(Attestation, Evidence)
        .join(Evidence, col(Attestation.evidence_id) == col(Evidence.id), isouter=True)
        .where(Attestation.checklist == checklist_id)
        .order_by(col(Attestation.attested_at), col(Attestation.id))
    )
    found: dict[str, AttestationView] = {}
    for row, evidence in session.exec(query).all():
        if ensure_utc(row.attested_at) <= as_of:
            found[row.item_id] = AttestationView(
                holds=row.status == HOLDS,
                by=row.attested_by,
                at=ensure_utc(row.attested_at),
                until=ensure_utc(row.valid_until),
                note=row.note,
                recorded_by=row.actor,
                evidence_path=evidence.path if evidence is not None else None,
                evidence_sha256=evidence.sha256 if evidence is not None else None,
            )
    return found
