"""The trail accounts for every stored run, and a trail key makes rewriting it detectable."""

from __future__ import annotations

from datetime import UTC, datetime

from click.testing import CliRunner
from sqlalchemy import text

from tests.reports.conftest import load_sample, store_run
from toolkit.audit.storage import save_run
from toolkit.cli import cli
from toolkit.store import Store, open_store
from toolkit.trail import append, verify
from toolkit.trail.chain import GENESIS, HMAC_PREFIX, entry_hash

AT = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
KEY = b"correct horse battery staple, trail edition"


def _status(store: Store):  # type: ignore[no-untyped-def]
    """The trail's verification status."""
    with store.session() as session:
        return verify(session)


def test_empty_trail_with_runs_is_not_intact(db_url: str) -> None:
    """Deleting the whole trail leaves an empty chain: verification names the runs it lost."""
    store = store_run(db_url, load_sample())
    assert _status(store).ok
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM trail"))
    status = _status(store)
    assert not status.ok and status.count == 0
    assert status.problem == "the trail is empty but the database holds audit_runs rows"


def test_run_without_its_entry_is_named(sqlite_url: str) -> None:
    """A run stored behind the tool's back (no audit.run entry) fails verification."""
    store = store_run(sqlite_url, load_sample())
    doc = load_sample()
    with store.session() as session:
        save_run(session, doc, doc.canonical(), run_id="run-sneaky", actor="x", at=AT)
    status = _status(store)
    assert not status.ok and status.bad_seq is None
    assert status.problem == "audit run run-sneaky has no audit.run entry in the trail"


def test_rewritten_run_digest_is_named(sqlite_url: str) -> None:
    """Recomputing a run's result_sha256 does not change what its trail entry recorded."""
    store = store_run(sqlite_url, load_sample())
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE audit_runs SET result_sha256 = :d"), {"d": "0" * 64})
    status = _status(store)
    assert not status.ok and "stored result differs" in (status.problem or "")


def test_cli_reports_an_incomplete_trail(sqlite_url: str) -> None:
    """`trail verify` exits 1 and says what the trail does not account for."""
    store = store_run(sqlite_url, load_sample())
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM trail"))
    result = CliRunner().invoke(cli, ["trail", "verify", "--db", sqlite_url])
    assert result.exit_code == 1
    assert result.stderr.startswith("trail INCOMPLETE: the trail is empty but the database")


def _keyed_store(url: str) -> Store:
    """A store whose three trail entries are authenticated with KEY."""
    store = open_store(url, trail_key=KEY)
    with store.session() as session:
        for n in range(3):
            append(session, actor="alice", action=f"test.step{n}", payload={"n": n}, at=AT)
    return store


def test_keyed_entries_verify_only_with_the_key(db_url: str) -> None:
    """Entries made with the key carry an HMAC; without the key they cannot be verified."""
    store = _keyed_store(db_url)
    status = _status(store)
    assert status.ok and status.keyed == 3 and status.unkeyed == 0
    assert status.head.startswith(HMAC_PREFIX)
    unkeyed = _status(open_store(db_url))
    assert not unkeyed.ok and "set KEYVIGIL_TRAIL_KEY" in (unkeyed.problem or "")
    wrong = _status(open_store(db_url, trail_key=b"another key"))
    assert not wrong.ok and wrong.problem == "entry 1 was altered (hash mismatch)"


def test_trail_rewritten_without_the_key_fails(db_url: str) -> None:
    """Whoever can write the database but lacks the key can recompute plain hashes, not HMACs."""
    store = _keyed_store(db_url)
    with store.engine.begin() as connection:
        rows = connection.execute(text("SELECT seq, ts, actor, action FROM trail ORDER BY seq"))
        prev = GENESIS
        for seq, ts, actor, action in rows.all():
            payload = '{"n":99}'
            digest = entry_hash(seq, ts, actor, action, payload, prev)
            connection.execute(
                text("UPDATE trail SET payload = :p, prev_hash = :v, hash = :h WHERE seq = :s"),
                {"p": payload, "v": prev, "h": digest, "s": seq},
            )
            prev = digest
    assert _status(open_store(db_url)).ok  # without the key the rewrite is invisible...
    status = _status(store)  # ...with it, nothing in the trail is authenticated any more
    assert not status.ok
    assert status.problem == "no entry is authenticated with the trail key (KEYVIGIL_TRAIL_KEY)"


def test_key_taken_into_use_on_an_existing_trail(sqlite_url: str) -> None:
    """Entries before the key stay plain and are counted; after it, a plain entry is a forgery."""
    store = open_store(sqlite_url)
    with store.session() as session:
        append(session, actor="a", action="before", payload={}, at=AT)
    keyed = open_store(sqlite_url, trail_key=KEY)
    with keyed.session() as session:
        append(session, actor="a", action="after", payload={}, at=AT)
    status = _status(keyed)
    assert status.ok and (status.keyed, status.unkeyed) == (1, 1)
    with store.session() as session:  # a writer without the key appends after keyed entries
        append(session, actor="mallory", action="forged", payload={}, at=AT)
    status = _status(keyed)
    assert not status.ok and status.problem == (
        "entry 3 is not authenticated, though earlier entries are"
    )
    result = CliRunner().invoke(
        cli, ["trail", "verify", "--db", sqlite_url], env={"KEYVIGIL_TRAIL_KEY": KEY.decode()}
    )
    assert result.exit_code == 1 and "entry 3 is not authenticated" in result.stderr


def test_cli_uses_the_key_from_the_environment(sqlite_url: str) -> None:
    """KEYVIGIL_TRAIL_KEY makes the CLI's entries keyed and its verify count them."""
    env = {"KEYVIGIL_TRAIL_KEY": KEY.decode(), "KEYVIGIL_ACTOR": "tester"}
    runner = CliRunner()
    path = "tests/data/inventory/house.csv"
    assert (
        runner.invoke(cli, ["inventory", "import", path, "--db", sqlite_url], env=env).exit_code
        == 0
    )
    result = runner.invoke(cli, ["trail", "verify", "--db", sqlite_url], env=env)
    assert result.exit_code == 0, result.stderr
    assert "1 authenticated with the trail key, 0 written before it" in result.stdout
