"""Checklist status as plain data: for ``--json``, the trail and the report's attachment."""

from __future__ import annotations

from typing import Any

from toolkit.checklists.attestations import AttestationView
from toolkit.checklists.status import ChecklistStatus, ItemStatus
from toolkit.timeutil import isoformat


def attestation_record(found: AttestationView | None) -> dict[str, Any] | None:
    """An attestation as plain data (None when there is none)."""
    if found is None:
        return None
    return {
        "holds": found.holds,
        "by": found.by,
        "at": isoformat(found.at),
        "until": isoformat(found.until),
        "note": found.note,
        "recorded_by": found.recorded_by,
        "evidence_path": found.evidence_path,
        "evidence_sha256": found.evidence_sha256,
    }


def item_record(status: ItemStatus) -> dict[str, Any]:
    """One item's status as plain data."""
    item = status.item
    return {
        "id": item.id,
        "title": item.title,
        "period": item.period.value,
        "how": "automatic" if item.automatic else "attestation",
        "evaluator": item.evaluator,
        "state": status.state.value,
        "reason": status.reason,
        "evidence": list(status.evidence),
        "findings": [
            {"rule_id": f.rule_id, "subject": f.subject, "message": f.message, "run_id": f.run_id}
            for f in status.findings
        ],
        "attestation": attestation_record(status.attestation),
    }


def checklist_record(status: ChecklistStatus) -> dict[str, Any]:
    """A checklist's status as plain data."""
    return {
        "id": status.checklist.id,
        "title": status.checklist.title,
        "source": status.checklist.source,
        "as_of": isoformat(status.as_of),
        "counts": status.counts(),
        "items": [item_record(item) for item in status.items],
    }
