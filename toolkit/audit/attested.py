"""Checklist attestations in force at the as-of time, by the manual control they evidence."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlmodel import Session, col, select

from toolkit.audit.result import AttestationRecord
from toolkit.store.tables import Attestation, Evidence
from toolkit.timeutil import ensure_utc, isoformat

ControlKey = tuple[str, str]
"""(framework id, control id)."""


def _in_force(session: Session, as_of: datetime) -> list[tuple[Attestation, Evidence | None]]:
    """Each item's latest attestation made by ``as_of``, when it has not run out by then."""
    query = (
        select(Attestation, Evidence)
        .join(Evidence, col(Attestation.evidence_id) == col(Evidence.id), isouter=True)
        .order_by(col(Attestation.attested_at), col(Attestation.id))
    )
    latest: dict[tuple[str, str], tuple[Attestation, Evidence | None]] = {}
    for row, evidence in session.exec(query).all():
        if ensure_utc(row.attested_at) <= as_of:
            latest[(row.checklist, row.item_id)] = (row, evidence)
    return [pair for pair in latest.values() if as_of < ensure_utc(pair[0].valid_until)]


def control_attestations(
    session: Session, as_of: datetime
) -> Mapping[ControlKey, list[AttestationRecord]]:
    """Attestations in force at ``as_of`` for each ``framework:control`` they name."""
    found: dict[ControlKey, list[AttestationRecord]] = {}
    for row, evidence in _in_force(session, as_of):
        record = AttestationRecord.model_construct(
            checklist=row.checklist,
            item=row.item_id,
            holds=row.status == "holds",
            by=row.attested_by,
            at=isoformat(row.attested_at) or "",
            until=isoformat(row.valid_until) or "",
            note=row.note,
            evidence_sha256=evidence.sha256 if evidence is not None else None,
        )
        for ref in row.controls or []:
            framework_id, _, control_id = ref.partition(":")
            found.setdefault((framework_id, control_id), []).append(record)
    return found
