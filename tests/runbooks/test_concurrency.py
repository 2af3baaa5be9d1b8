"""Two commanders run one incident at the same moment: no step record is lost or doubled."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import yaml
from sqlmodel import select

from tests.runbooks.test_answers_compromise import compromise_answers
from toolkit.rules.policy import Policy
from toolkit.runbooks.answers import load_answers
from toolkit.runbooks.engine import RunOptions, RunResult, run_incident
from toolkit.runbooks.incidents import OpenRequest, open_incident
from toolkit.store import Key, StepRecord, open_store
from toolkit.trail import entries, verify

AT = datetime(2026, 10, 1, 8, tzinfo=UTC)


def _setup(db_url: str, folder: Path) -> tuple[str, Path]:
    """A store with one key, an open key-compromise incident and the answers for it."""
    store = open_store(db_url)
    with store.session() as session:
        session.add(Key(key_id="k-shared", owner="ops", environment="prod", created_at=AT))
    request = OpenRequest("key-compromise", "k-shared", None, None, "alice")
    view = open_incident(store, request, actor="alice", at=AT, policy=Policy())
    answers = folder / "answers.yaml"
    answers.write_text(yaml.safe_dump(compromise_answers(folder)))
    return view.ref, answers


def test_two_commanders_at_once(db_url: str, tmp_path: Path) -> None:
    ref, answers = _setup(db_url, tmp_path)
    barrier = threading.Barrier(2)
    results: list[RunResult | BaseException] = []

    def commander(name: str) -> None:
        store = open_store(db_url)  # each commander has its own engine and connections
        options = RunOptions(actor=name, clock=lambda: AT, policy=Policy(),
                             evidence_root=tmp_path / "evidence", answers=load_answers(answers),
                             answers_path=answers)  # fmt: skip
        barrier.wait()
        try:
            results.append(run_incident(store, ref, options))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            results.append(exc)
        finally:
            store.engine.dispose()

    threads = [threading.Thread(target=commander, args=(n,)) for n in ("alice", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert len(results) == 2
    assert all(isinstance(r, RunResult) and r.finished for r in results), results

    store = open_store(db_url)
    with store.session() as session:
        records = session.exec(select(StepRecord)).all()
        replacements = session.exec(select(Key).where(Key.replaces == "k-shared")).all()
        assert verify(session).ok
        done = Counter(
            e.payload for e in entries(session, "incident.step.") if '"step":"replace"' in e.payload
        )
    keys = Counter((r.step_id, r.attempt) for r in records)
    assert max(keys.values()) == 1  # never doubled
    assert all(r.status in ("done", "skipped", "not_applicable", "not_run") for r in records)
    assert {r.step_id for r in records} >= {"inputs", "revoke", "replace", "update-procedures"}
    assert len(replacements) == 1  # the action ran once
    assert len(done) == 2  # one 'started' and one 'done' entry for the replacement step
    assert sum(r.done for r in results if isinstance(r, RunResult)) >= len(records)
    store.engine.dispose()
