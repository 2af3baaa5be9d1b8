"""The store opens, upgrades and keeps timestamps aware on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel, select

from toolkit.errors import StoreError
from toolkit.store import Key, open_store, resolve_db_url
from toolkit.store.migrate import current_revision, head_revision

TABLES = {
    "keys",
    "imports",
    "audit_runs",
    "findings",
    "waivers",
    "incidents",
    "step_records",
    "evidence",
    "attestations",
    "trail",
    "alembic_version",
}


def test_schema_created_and_versioned_on_first_use(db_url: str) -> None:
    store = open_store(db_url)
    assert TABLES <= set(inspect(store.engine).get_table_names())
    assert current_revision(store.engine) == head_revision()


def test_models_and_migrations_agree(db_url: str) -> None:
    """A table change without a migration would make a later upgrade lose data: fail here."""
    store = open_store(db_url)
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []


def test_reopening_is_idempotent(db_url: str) -> None:
    open_store(db_url)
    store = open_store(db_url)
    assert current_revision(store.engine) == head_revision()


def test_timestamps_come_back_aware_utc(db_url: str) -> None:
    store = open_store(db_url)
    paris = timezone(timedelta(hours=2))
    created = datetime(2026, 5, 1, 14, 30, tzinfo=paris)
    with store.session() as session:
        session.add(Key(key_id="k1", provider="house", created_at=created, scopes=["read"]))
    with store.session() as session:
        key = session.exec(select(Key)).one()
    assert key.created_at == datetime(2026, 5, 1, 12, 30, tzinfo=UTC)
    assert key.created_at.tzinfo is not None
    assert key.scopes == ["read"]


def test_unique_key_per_provider(db_url: str) -> None:
    store = open_store(db_url)
    with store.session() as session:
        session.add(Key(key_id="same", provider="aws"))
        session.add(Key(key_id="same", provider="gcp"))
    with pytest.raises(Exception), store.session() as session:  # noqa: B017 (driver-specific)
        session.add(Key(key_id="same", provider="aws"))
    with store.session() as session:
        assert len(session.exec(select(Key)).all()) == 2


def test_sqlite_uses_wal_and_foreign_keys(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_plain_path_becomes_sqlite_url(tmp_path: Path) -> None:
    url = resolve_db_url(str(tmp_path / "sub" / "kv.db"))
    assert url.startswith("sqlite:///") and url.endswith("sub/kv.db")
    open_store(url)
    assert (tmp_path / "sub" / "kv.db").exists()


def test_env_var_then_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KEYVIGIL_DB", "sqlite:///" + str(tmp_path / "env.db"))
    assert resolve_db_url(None).endswith("env.db")
    assert resolve_db_url("sqlite:///x.db") == "sqlite:///x.db"
    monkeypatch.delenv("KEYVIGIL_DB")
    assert resolve_db_url(None).endswith("keyvigil/keyvigil.db")


def test_unreachable_database_is_a_clear_error() -> None:
    with pytest.raises(StoreError) as excinfo:
        open_store("postgresql+psycopg://kv:hunter2-secret@/nodb?host=/nonexistent-socket-dir")
    message = str(excinfo.value)
    assert "cannot open database" in message
    assert "hunter2-secret" not in message
