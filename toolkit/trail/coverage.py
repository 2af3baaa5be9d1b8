"""What the trail must account for: every stored audit run, with the digest it was made with.

The chain alone proves only that its entries were not edited; deleting the whole trail, or
storing a run without an entry, leaves an intact (even empty) chain. So verification also
holds the stored runs against the ``audit.run`` entries that recorded them.
"""

from __future__ import annotations

import json

from sqlalchemy import func
from sqlmodel import Session, select

from toolkit.store.tables import AuditRun, ImportRecord, Key, TrailEntry, Waiver

RUN_ACTION = "audit.run"


def recorded_runs(session: Session) -> dict[str, str | None]:
    """run id -> the ``result_sha256`` its first ``audit.run`` trail entry recorded."""
    recorded: dict[str, str | None] = {}
    query = select(TrailEntry).where(TrailEntry.action == RUN_ACTION).order_by(TrailEntry.seq)  # type: ignore[arg-type]
    for entry in session.exec(query):
        try:
            payload = json.loads(entry.payload)
        except ValueError:
            continue  # an edited payload is the chain check's to report
        if isinstance(payload, dict) and isinstance(payload.get("run_id"), str):
            recorded.setdefault(payload["run_id"], payload.get("result_sha256"))
    return recorded


def unaccounted(session: Session) -> str | None:
    """The first stored record the trail does not account for, in words; None when all are."""
    if session.exec(select(func.count()).select_from(TrailEntry)).one() == 0:
        for table in (AuditRun, ImportRecord, Key, Waiver):
            if session.exec(select(func.count()).select_from(table)).one():
                return f"the trail is empty but the database holds {table.__tablename__} rows"
        return None
    recorded = recorded_runs(session)
    for run_id, digest in session.exec(select(AuditRun.id, AuditRun.result_sha256)).all():
        if run_id not in recorded:
            return f"audit run {run_id} has no {RUN_ACTION} entry in the trail"
        if recorded[run_id] != digest:
            return f"audit run {run_id}: stored result differs from the one the trail recorded"
    return None
