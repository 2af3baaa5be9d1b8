"""The trail's hash chain detects edited, deleted and reordered entries on both backends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from toolkit.store import open_store
from toolkit.trail import append, entries, verify

AT = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def store_with_trail(db_url: str):  # type: ignore[no-untyped-def]
    """A store holding five chained entries."""
    store = open_store(db_url)
    with store.session() as session:
        for n in range(5):
            append(session, actor="alice", action=f"test.step{n}", payload={"n": n}, at=AT)
    return store


def test_intact_chain_verifies(store_with_trail) -> None:  # type: ignore[no-untyped-def]
    with store_with_trail.session() as session:
        status = verify(session)
        rows = entries(session)
    assert status.ok and status.count == 5
    assert status.head == rows[-1].hash
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == "0" * 64 and rows[1].prev_hash == rows[0].hash


def _tamper(store, sql: str) -> None:  # type: ignore[no-untyped-def]
    with store.engine.begin() as connection:
        connection.execute(text(sql))


@pytest.mark.parametrize(
    ("sql", "bad_seq"),
    [
        ("UPDATE trail SET payload = '[99]' WHERE seq = 3", 3),
        ("UPDATE trail SET actor = 'mallory' WHERE seq = 2", 2),
        ("DELETE FROM trail WHERE seq = 4", 4),
        ("DELETE FROM trail WHERE seq = 1", 1),
        # Swap entries 2 and 3 (sequence numbers exchanged: a reordering).
        ("UPDATE trail SET seq = CASE seq WHEN 2 THEN 3 WHEN 3 THEN 2 END WHERE seq IN (2, 3)", 2),
    ],
    ids=["edited-payload", "edited-actor", "deleted-middle", "deleted-first", "reordered"],
)
def test_tampering_names_first_bad_entry(store_with_trail, sql: str, bad_seq: int) -> None:  # type: ignore[no-untyped-def]
    if "CASE" in sql:  # swap through a free number to dodge the primary key
        _tamper(store_with_trail, "UPDATE trail SET seq = 100 WHERE seq = 2")
        _tamper(store_with_trail, "UPDATE trail SET seq = 2 WHERE seq = 3")
        _tamper(store_with_trail, "UPDATE trail SET seq = 3 WHERE seq = 100")
    else:
        _tamper(store_with_trail, sql)
    with store_with_trail.session() as session:
        status = verify(session)
    assert not status.ok
    assert status.bad_seq == bad_seq


def test_truncated_tail_is_not_detectable_without_the_head(store_with_trail) -> None:  # type: ignore[no-untyped-def]
    """Deleting the newest entry leaves a valid shorter chain: the head hash must be kept
    elsewhere (reports record it) to notice. This documents that limit."""
    _tamper(store_with_trail, "DELETE FROM trail WHERE seq = 5")
    with store_with_trail.session() as session:
        status = verify(session)
    assert status.ok and status.count == 4


def test_cli_verify_and_show(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from toolkit.cli import cli

    db = f"sqlite:///{tmp_path / 'cli.db'}"
    store = open_store(db)
    with store.session() as session:
        append(session, actor="bob", action="test.one", payload={"k": "v"}, at=AT)
        append(session, actor="bob", action="test.two", payload={}, at=AT)
    result = runner.invoke(cli, ["trail", "verify", "--db", db])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("trail intact: 2 entries, head ")
    shown = runner.invoke(cli, ["--db", db, "trail", "show", "--json"])
    assert shown.exit_code == 0
    assert '"action": "test.two"' in shown.stdout
    _tamper(store, "UPDATE trail SET action = 'test.zzz' WHERE seq = 1")
    broken = runner.invoke(cli, ["trail", "verify", "--db", db])
    assert broken.exit_code == 1
    assert "entry 1" in broken.stderr
