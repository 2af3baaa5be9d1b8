"""Every registered evaluator: never 'holds' on an empty database; each judges real evidence."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from toolkit.checklists.evaluators import EVALUATORS
from toolkit.checklists.evaluators.interface import EvidenceContext, Outcome
from toolkit.rules.policy import Policy, parse_policy
from toolkit.store import open_store
from toolkit.store.tables import Incident, Key

AS_OF = datetime(2026, 10, 1, tzinfo=UTC)
VACUOUS = {"incident-lessons-recorded", "playbooks-validate"}
"""Judged from what is there even when the database is empty (no incidents; shipped playbooks)."""


@pytest.mark.parametrize("evaluator", sorted(EVALUATORS))
def test_no_evaluator_holds_on_an_empty_database(evaluator: str, sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    with store.session() as session:
        verdict = EVALUATORS[evaluator](EvidenceContext(session, Policy(), AS_OF))
    assert verdict.reason
    if evaluator not in VACUOUS:
        assert verdict.outcome != Outcome.HOLDS, verdict


def test_shipped_playbooks_validate(sqlite_url: str) -> None:
    with open_store(sqlite_url).session() as session:
        verdict = EVALUATORS["playbooks-validate"](EvidenceContext(session, Policy(), AS_OF))
    assert verdict.outcome == Outcome.HOLDS, verdict
    assert any(line.startswith("key-leakage v") for line in verdict.evidence)


def test_a_broken_playbook_fails_the_item(sqlite_url: str, tmp_path: Path) -> None:
    (tmp_path / "key-leakage.yaml").write_text("id: key-leakage\ntitle: broken\n")
    with open_store(sqlite_url).session() as session:
        ctx = EvidenceContext(session, Policy(), AS_OF, playbooks=tmp_path)
        verdict = EVALUATORS["playbooks-validate"](ctx)
    assert verdict.outcome == Outcome.FAILS
    assert verdict.reason == "incident playbooks invalid: key-leakage"


def _incident(ref: str, closed: datetime | None, lessons: str | None) -> Incident:
    """An incident row as the runbook engine leaves it."""
    opened = datetime(2026, 9, 1, tzinfo=UTC)
    return Incident(ref=ref, type="key-leakage", key_id="k", playbook_id="key-leakage",
                    status="closed" if closed else "open", opened_at=opened, aware_at=opened,
                    closed_at=closed, opened_by="ic", lessons=lessons)  # fmt: skip


def test_a_closed_incident_without_lessons_fails_the_item(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    closed = datetime(2026, 9, 20, tzinfo=UTC)
    with store.session() as session:
        session.add(_incident("INC-2026-0001", closed, "rotate staging monthly"))
        session.add(_incident("INC-2026-0002", closed, "  "))
        session.add(_incident("INC-2026-0003", None, None))
    with store.session() as session:
        verdict = EVALUATORS["incident-lessons-recorded"](EvidenceContext(session, Policy(), AS_OF))
        before = EVALUATORS["incident-lessons-recorded"](
            EvidenceContext(session, Policy(), datetime(2026, 9, 10, tzinfo=UTC))
        )
    assert verdict.outcome == Outcome.FAILS
    assert verdict.reason == "1 closed incident(s) without lessons learned: INC-2026-0002"
    assert before.outcome == Outcome.HOLDS and "no incident had been closed" in before.reason


def test_rotation_schedule_needs_a_period_for_every_environment_in_use(demo_db: str) -> None:
    with open_store(demo_db).session() as session:
        ctx = EvidenceContext(session, Policy(), AS_OF)
        assert EVALUATORS["rotation-schedule-defined"](ctx).outcome == Outcome.HOLDS
        key = session.exec(select(Key).where(Key.key_id == "dev-sandbox-old")).one()
        key.environment = "qa"
        session.add(key)
        session.flush()
        verdict = EVALUATORS["rotation-schedule-defined"](ctx)
        qa = parse_policy({"environments": {"qa": {"rotation_days": 30}}}, "test")
        fixed = EVALUATORS["rotation-schedule-defined"](EvidenceContext(session, qa, AS_OF))
    assert verdict.outcome == Outcome.FAILS
    assert verdict.reason.startswith("no rotation period in the policy for: qa")
    assert "qa: 1 active key(s), no period" in verdict.evidence
    assert fixed.outcome == Outcome.HOLDS
