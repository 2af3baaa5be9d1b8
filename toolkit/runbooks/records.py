"""Writing step records safely when several commanders work one incident at once.

Every write runs in its own transaction and is retried when another writer got there first
(a unique step attempt, the trail's next sequence number, SQLite's write lock). The work
functions re-read what they depend on at each try, so a retry never duplicates a record.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import func, text, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, select

from toolkit.errors import IncidentError
from toolkit.runbooks.model import IN_PROGRESS, IncidentView, StepView
from toolkit.store.engine import Store
from toolkit.store.tables import Incident, StepRecord
from toolkit.timeutil import isoformat
from toolkit.trail import append

T = TypeVar("T")
RETRIES = 12


class Conflict(Exception):
    """Another commander changed the record this write was about; the run re-reads and goes on."""


def _transient(exc: Exception) -> bool:
    """A unique-key clash or a busy/locked/serialisation failure: worth another try."""
    if isinstance(exc, IntegrityError):
        return True
    text = str(getattr(exc, "orig", exc)).lower()
    return any(word in text for word in ("locked", "busy", "serializ", "deadlock"))


def lock_for_write(session: Session) -> None:
    """Take the database's write lock first, so what the work reads next cannot go stale.

    SQLite: a write statement as the transaction's first statement takes the single writer
    lock (waiting for it) before any snapshot is read. PostgreSQL: the trail table is locked
    against other appenders, so sequence numbers never clash and an action never runs twice.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE trail IN SHARE ROW EXCLUSIVE MODE"))
    else:
        session.execute(text("UPDATE trail SET seq = seq WHERE 1 = 0"))


def with_retry(store: Store, work: Callable[[Session], T], what: str) -> T:
    """Run ``work`` under the write lock in one transaction, again on a transient clash."""
    for attempt in range(RETRIES):
        try:
            with store.session() as session:
                lock_for_write(session)
                return work(session)
        except (IntegrityError, OperationalError) as exc:
            if not _transient(exc):
                raise
            time.sleep(0.01 * (attempt + 1) + random.random() * 0.02)
    raise IncidentError(f"{what}: the database stayed busy; run the command again")


def find_incident(session: Session, ref: str) -> Incident:
    """The incident ``ref`` (INC-2026-0001) or IncidentError."""
    row = session.exec(select(Incident).where(Incident.ref == ref)).first()
    if row is None:
        raise IncidentError(f"incident {ref}: not found (keyvigil incident list shows them)")
    return row


def records_of(session: Session, incident_id: int) -> list[StepView]:
    """The incident's step records in the order they were made."""
    query = select(StepRecord).where(StepRecord.incident_id == incident_id)
    return [StepView.of(row) for row in session.exec(query.order_by(StepRecord.id)).all()]  # type: ignore[arg-type]


def trail(session: Session, incident: IncidentView, actor: str, action: str, at: datetime,
          **payload: Any) -> None:  # fmt: skip
    """A trail entry about the incident; ``at`` (when it happened) goes into the payload."""
    body = {"incident": incident.ref, "at": isoformat(at), **payload}
    append(session, actor=actor, action=action, payload=body, at=at)


def start_record(
    session: Session, incident: IncidentView, key: str, step_type: str, actor: str,
    at: datetime, attempt: int,
) -> StepView:  # fmt: skip
    """Open (or join) attempt ``attempt`` of a step; Conflict when someone already finished it.

    The attempt is unique per step, so two commanders starting the same step share one record.
    """
    rows = session.exec(
        select(StepRecord)
        .where(StepRecord.incident_id == incident.id, StepRecord.step_id == key)
        .order_by(StepRecord.attempt.desc())  # type: ignore[attr-defined]
    ).all()
    if rows and rows[0].attempt == attempt and rows[0].status == IN_PROGRESS:
        return StepView.of(rows[0])
    if rows and rows[0].attempt >= attempt:
        raise Conflict(key)
    row = StepRecord(
        incident_id=incident.id, step_id=key, attempt=attempt, step_type=step_type,
        status=IN_PROGRESS, started_at=at, recorded_at=at, actor=actor,
    )  # fmt: skip
    session.add(row)
    session.flush()
    trail(session, incident, actor, "incident.step.started", at, step=key, attempt=attempt)
    return StepView.of(row)


def open_row(session: Session, incident_id: int, key: str, attempt: int) -> StepRecord:
    """The record of (step, attempt) still in progress, locked for update; Conflict if not."""
    row = session.exec(
        select(StepRecord)
        .where(
            StepRecord.incident_id == incident_id,
            StepRecord.step_id == key,
            StepRecord.attempt == attempt,
        )
        .with_for_update()
    ).first()
    if row is None or row.status != IN_PROGRESS:
        raise Conflict(key)
    return row


def next_attempt(session: Session, incident_id: int, key: str) -> int:
    """One more than the step's highest attempt so far."""
    highest = session.exec(
        select(func.max(StepRecord.attempt)).where(
            StepRecord.incident_id == incident_id, StepRecord.step_id == key
        )
    ).one()
    return int(highest or 0) + 1


def set_fact(session: Session, incident_id: int, **values: Any) -> None:
    """Update incident columns (exposure start, severity, summary, lessons)."""
    session.execute(update(Incident).where(Incident.id == incident_id).values(**values))  # type: ignore[arg-type]
