"""Facts about a stored run that its result document leaves out: id, time, actor, history.

Outputs that print them (the PDF and HTML reports) declare ``needs_run_facts``; the same
``run_meta`` serves ``audit run --format pdf`` and ``audit report``, so both print the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from toolkit.audit.diff import RunDiff, diff_documents
from toolkit.audit.result import ResultDocument
from toolkit.audit.storage import previous_run, run_document
from toolkit.store.tables import AuditRun
from toolkit.timeutil import isoformat

HISTORY_RUNS = 8
"""Earlier runs of the same scope a report's trend shows."""


@dataclass(frozen=True)
class HistoryPoint:
    """An earlier run of the same scope: its as-of time and control counts per framework."""

    as_of: str
    controls: dict[str, dict[str, int]]
    run_id: str = ""


@dataclass(frozen=True)
class RunMeta:
    """A stored run's own facts, and (when asked for) its comparison with earlier runs.

    ``previous`` is ``audit diff`` of the latest earlier run with the same scope against this
    one (None when there is none); ``history`` those earlier runs, oldest first.
    """

    run_id: str
    created_at: datetime
    actor: str
    result_sha256: str
    previous_run_id: str | None = None
    previous: RunDiff | None = None
    history: tuple[HistoryPoint, ...] = field(default=())


def history(session: Session, run: AuditRun) -> tuple[HistoryPoint, ...]:
    """Earlier runs of the same scope (as-of and control counts), oldest first."""
    query = (
        select(AuditRun.id, AuditRun.as_of, AuditRun.summary)  # not the stored documents
        .where(AuditRun.scope_digest == run.scope_digest, AuditRun.id != run.id)
        .where(col(AuditRun.created_at) <= run.created_at)
        .order_by(col(AuditRun.created_at).desc())
        .limit(HISTORY_RUNS)
    )
    rows = list(session.exec(query).all())
    return tuple(
        HistoryPoint(isoformat(as_of) or "", (summary or {}).get("controls", {}), run_id)
        for run_id, as_of, summary in reversed(rows)
    )


def run_meta(session: Session, run: AuditRun, doc: ResultDocument, compare: bool) -> RunMeta:
    """The run facts; the comparison with earlier runs only when ``compare`` is set."""
    previous = previous_run(session, run) if compare else None
    return RunMeta(
        run_id=run.id,
        created_at=run.created_at,
        actor=run.actor,
        result_sha256=run.result_sha256 or "",
        previous_run_id=previous.id if previous else None,
        previous=diff_documents(run_document(previous), doc) if previous else None,
        history=history(session, run) if compare else (),
    )
