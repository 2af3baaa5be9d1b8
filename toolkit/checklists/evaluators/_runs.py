"""Evidence from stored audit runs: the latest one at the as-of time, and its open findings."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, col, select

from toolkit.audit.storage import run_facts
from toolkit.checklists.evaluators.interface import FindingRef
from toolkit.process import collector_paused
from toolkit.store.tables import AuditRun, FindingRow
from toolkit.timeutil import ensure_utc, isoformat

FINDINGS_SHOWN = 10
"""Findings quoted per failing item; the count says how many there are in all."""


def runs_until(session: Session, as_of: Any) -> list[AuditRun]:
    """Audit runs whose as-of time is at or before ``as_of``, latest first."""
    query = run_facts().order_by(col(AuditRun.as_of).desc(), col(AuditRun.created_at).desc())
    return [run for run in session.exec(query).all() if ensure_utc(run.as_of) <= as_of]


def evaluated(run: AuditRun, rule_id: str) -> bool:
    """True when ``rule_id`` ran in ``run`` (it is not listed as not evaluated)."""
    return rule_id not in (run.summary or {}).get("not_evaluated_rules", [rule_id])


def latest_evaluating(session: Session, as_of: Any, rule_id: str) -> AuditRun | None:
    """The latest run at or before ``as_of`` in which ``rule_id`` was evaluated."""
    return next((run for run in runs_until(session, as_of) if evaluated(run, rule_id)), None)


def open_findings(session: Session, run: AuditRun, rule_id: str) -> list[FindingRef]:
    """The run's findings of ``rule_id`` that no active waiver covers, by subject."""
    query = (
        select(FindingRow)
        .where(FindingRow.run_id == run.id, FindingRow.rule_id == rule_id)
        .order_by(col(FindingRow.subject))
    )
    return [
        FindingRef(row.rule_id, row.subject, row.message, run.id)
        for row in session.exec(query).all()
        if row.waiver_state != "waived"
    ]


def document(run: AuditRun) -> dict[str, Any]:
    """The run's stored result document (its canonical bytes, parsed; the cycle collector
    sleeps meanwhile, as when the document is read back as the typed model)."""
    if not run.result_json:
        return {}
    with collector_paused():
        return dict(json.loads(run.result_json))


def run_label(run: AuditRun) -> str:
    """``audit run run-... (as of 2026-10-01T00:00:00Z)``."""
    return f"audit run {run.id} (as of {isoformat(run.as_of)})"
