"""The key-lifecycle core: 256-bit values never kept, 0600 files, replacement links, revocation."""

from __future__ import annotations

import io
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from toolkit.errors import KeysError
from toolkit.fingerprint import fingerprint
from toolkit.keys import (
    KeySpec,
    create_key,
    create_replacement,
    generate_secret,
    revoke_key,
    show_secret_once,
    write_secret_file,
)
from toolkit.keys.schedule import ROTATION_REQUESTED, ScheduleEntry, rotation_schedule
from toolkit.rules.policy import load_policy
from toolkit.store import Key, TrailEntry, open_store
from toolkit.trail import append, verify

AT = datetime(2026, 10, 1, 12, tzinfo=UTC)
CANARY = "CANARYkeyvalue_Zq9xW3vR7tY2uI8oP4aS6dF1gH5jK0lZ"


def canary(_n: int) -> str:
    """A fixed, high-entropy value standing in for ``secrets.token_urlsafe``."""
    return CANARY


def test_generated_values_are_256_bits_and_distinct() -> None:
    first, second = generate_secret(), generate_secret()
    assert first.value != second.value
    assert first.entropy_bits >= 256
    assert first.fingerprint == fingerprint(first.value)
    assert first.value not in repr(first) and first.value not in str(first)


def test_too_short_a_value_is_refused() -> None:
    with pytest.raises(KeysError, match="entropy"):
        generate_secret(lambda _n: "short")


def test_key_file_is_new_and_0600(tmp_path: Path) -> None:
    secret = generate_secret(canary)
    path = write_secret_file(secret, tmp_path / "new.key")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() == CANARY + "\n"
    with pytest.raises(KeysError, match="already exists") as info:
        write_secret_file(secret, path)
    assert CANARY not in str(info.value)


def test_key_file_never_follows_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    (tmp_path / "link.key").symlink_to(target)
    with pytest.raises(KeysError):
        write_secret_file(generate_secret(canary), tmp_path / "link.key")
    assert not target.exists()


def test_value_is_shown_only_on_a_terminal() -> None:
    with pytest.raises(KeysError, match="terminal") as info:
        show_secret_once(generate_secret(canary), io.StringIO())
    assert CANARY not in str(info.value)

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    show_secret_once(generate_secret(canary), tty)
    assert tty.getvalue().count(CANARY) == 1


def _seed_key(url: str) -> None:
    store = open_store(url)
    with store.session() as session:
        session.add(
            Key(
                key_id="k-old",
                name="payments",
                owner="alice",
                environment="prod",
                scopes=["payments:write"],
                created_at=AT - timedelta(days=30),
            )
        )


def test_replace_then_revoke_records_only_the_fingerprint(db_url: str) -> None:
    _seed_key(db_url)
    store = open_store(db_url)
    secret = generate_secret(canary)
    with store.session() as session:
        new = create_replacement(
            session, "k-old", secret, actor="ic", at=AT, expires_at=AT + timedelta(days=90)
        )
        revocation = revoke_key(session, "k-old", reason="leaked in a commit", actor="ic", at=AT)
    assert new.key_id.startswith("k-old-r") and new.owner == "alice"
    assert not revocation.already_revoked and revocation.revoked_at == AT
    with store.session() as session:
        rows = {k.key_id: k for k in session.exec(select(Key)).all()}
        assert rows[new.key_id].replaces == "k-old"
        assert rows[new.key_id].fingerprint == fingerprint(CANARY)
        assert rows[new.key_id].scopes == ["payments:write"]
        assert rows["k-old"].revoked and rows["k-old"].revoked_reason == "leaked in a commit"
        actions = [e.action for e in session.exec(select(TrailEntry)).all()]
        assert actions == ["key.replaced", "key.revoked"]
        assert verify(session).ok
        dump = repr([r.model_dump() for r in session.exec(select(Key)).all()])
        dump += repr([e.payload for e in session.exec(select(TrailEntry)).all()])
    assert CANARY not in dump


def test_revoking_twice_keeps_the_first_revocation(sqlite_url: str) -> None:
    _seed_key(sqlite_url)
    store = open_store(sqlite_url)
    with store.session() as session:
        revoke_key(session, "k-old", reason="first", actor="ic", at=AT)
        again = revoke_key(session, "k-old", reason="second", actor="ic", at=AT + timedelta(1))
    assert again.already_revoked and again.reason == "first" and again.revoked_at == AT


def test_revocation_needs_a_reason_and_a_known_key(sqlite_url: str) -> None:
    _seed_key(sqlite_url)
    store = open_store(sqlite_url)
    with store.session() as session, pytest.raises(KeysError, match="reason"):
        revoke_key(session, "k-old", reason="  ", actor="ic", at=AT)
    with store.session() as session, pytest.raises(KeysError, match="not in the inventory"):
        revoke_key(session, "nope", reason="x", actor="ic", at=AT)


def test_create_key_records_metadata_and_refuses_duplicates(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    spec = KeySpec(
        name="ci",
        owner="bob",
        environment="dev",
        scopes=("ci:read",),
        key_id="kv_fixed",
        expires_at=AT + timedelta(days=90),
    )
    with store.session() as session:
        ref = create_key(session, spec, generate_secret(), actor="bob", at=AT)
    assert ref.key_id == "kv_fixed" and ref.environment == "dev"
    with store.session() as session, pytest.raises(KeysError, match="already"):
        create_key(session, spec, generate_secret(), actor="bob", at=AT)


def test_a_rotation_request_holds_until_the_key_is_rotated_after_it(sqlite_url: str) -> None:
    """The oldest request since the key's last rotation makes it due: an earlier request that
    a rotation answered no longer counts, a later one (another incident) does."""
    _seed_key(sqlite_url)
    store = open_store(sqlite_url)
    policy = load_policy()

    def ask(at: datetime, incident: str) -> None:
        with store.session() as session:
            payload = {"provider": "house", "key_id": "k-old", "incident": incident}
            append(session, actor="dana", action=ROTATION_REQUESTED, payload=payload, at=at)

    def entry(as_of: datetime) -> ScheduleEntry:
        with store.session() as session:
            (found,) = rotation_schedule(session, policy, as_of)
        return found

    assert entry(AT).requested_by is None and entry(AT).next_rotation == AT + timedelta(days=60)
    ask(AT + timedelta(days=1), "INC-1")
    ask(AT + timedelta(days=2), "INC-2")
    first = entry(AT + timedelta(days=3))
    assert (first.requested_at, first.requested_by) == (AT + timedelta(days=1), "INC-1")
    assert (first.next_rotation, first.overdue_days) == (AT + timedelta(days=1), 2)
    with store.session() as session:  # rotated between the two requests
        key = session.exec(select(Key)).one()
        key.last_rotated_at = AT + timedelta(days=1, hours=12)
        session.add(key)
    second = entry(AT + timedelta(days=3))
    assert (second.requested_at, second.requested_by) == (AT + timedelta(days=2), "INC-2")
    ask(AT + timedelta(days=4), "INC-3")
    with store.session() as session:  # rotated after every request: nothing is asked any more
        key = session.exec(select(Key)).one()
        key.last_rotated_at = AT + timedelta(days=5)
        session.add(key)
    done = entry(AT + timedelta(days=6))
    assert done.requested_by is None and done.next_rotation == AT + timedelta(days=95)
