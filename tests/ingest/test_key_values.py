"""The fast read of stored keys (audits, alerts) equals the ORM read, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlmodel import col, select

from toolkit.ingest.inventory.values import key_values
from toolkit.models import KeyBase
from toolkit.store import Key, open_store

PARIS = timezone(timedelta(hours=2))


def stored_keys() -> list[Key]:
    """New rows each time (a row object belongs to one database)."""
    return [
        Key(
            key_id="k-2",
            provider="aws",
            name="Déploiement",
            owner="team-a",
            environment="prod",
            scopes=["s3:*", "ünïcode"],
            enabled=True,
            revoked=True,
            created_at=datetime(2026, 5, 1, 14, 30, tzinfo=PARIS),
            expires_at=datetime(2027, 1, 1, tzinfo=UTC),
            last_used_at=datetime(2026, 9, 30, 23, 59, 59, 123456, tzinfo=UTC),
            last_rotated_at=datetime(2026, 6, 1, 0, 0, 0, 1, tzinfo=UTC),
            revoked_at=datetime(2026, 9, 1, 12, tzinfo=UTC),
            revoked_reason="rotated out",
            fingerprint="ab" * 32,
            entropy_bits=127.5,
            attributes={"mfa_active": False, "nested": {"n": 1.25, "list": [1, "x", None]}},
        ),
        Key(key_id="k-1", provider="house", enabled=False, scopes=[], attributes=None),
        Key(key_id="k-0", provider="house"),
    ]


def test_key_values_equal_the_orm_read(db_url: str) -> None:
    """Same values, same types, timestamps aware UTC, in (provider, key id) order."""
    store = open_store(db_url)
    with store.session() as session:
        session.add_all(stored_keys())
    with store.read_session() as session:
        fast = key_values(session)
        rows = session.exec(select(Key).order_by(col(Key.provider), col(Key.key_id))).all()
        slow = [
            KeyBase.model_validate(row.model_dump(include=set(KeyBase.model_fields)))
            for row in rows
        ]
    assert [k.key_id for k in fast] == ["k-2", "k-0", "k-1"]
    for got, want in zip(fast, slow, strict=True):
        assert got.model_dump() == want.model_dump()
        for name in KeyBase.model_fields:
            value = getattr(got, name)
            assert type(value) is type(getattr(want, name)), name
            if isinstance(value, datetime):
                assert value.tzinfo is UTC, name
    assert fast[0].created_at == datetime(2026, 5, 1, 12, 30, tzinfo=UTC)
    assert fast[0].last_used_at is not None and fast[0].last_used_at.microsecond == 123456


def test_no_keys_read_as_an_empty_list(db_url: str) -> None:
    store = open_store(db_url)
    with store.read_session() as session:
        assert key_values(session) == []
