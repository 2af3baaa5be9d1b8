"""Shared fixtures: databases on SQLite and on a real PostgreSQL, a CLI runner, data files."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from tests import pgserver

DATA = Path(__file__).parent / "data"
SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
AS_OF = datetime(2026, 10, 1, tzinfo=UTC)
_counter = itertools.count(1)


def data(name: str) -> Path:
    """A file under tests/data, asserting that it exists."""
    path = DATA / name
    assert path.exists(), f"missing test data file {path}"
    return path


@pytest.fixture(scope="session")
def postgres() -> Iterator[pgserver.PostgresServer | str]:
    """A PostgreSQL server for the session: KEYVIGIL_TEST_PG_URL's, or one started here.

    Under CI=true a server that cannot start fails the run instead of skipping.
    """
    external = os.environ.get("KEYVIGIL_TEST_PG_URL")
    if external:
        yield external
        return
    try:
        server = pgserver.start()
    except pgserver.PostgresUnavailable as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL is required under CI=true: {exc}")
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    yield server
    server.stop()


def _admin(server: pgserver.PostgresServer | str) -> tuple[str, Callable[[str], str]]:
    """The maintenance database's URL and a maker of URLs for other databases."""
    if isinstance(server, str):
        return server, lambda db: server.rsplit("/", 1)[0] + "/" + db
    return server.url("postgres"), server.url


def _pg_admin_sql(server: pgserver.PostgresServer | str, sql: str) -> None:
    """Run one statement outside a transaction (CREATE/DROP DATABASE need that)."""
    engine = create_engine(_admin(server)[0], isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(sql))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL, once on an SQLite file and once on PostgreSQL (dropped after)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'keyvigil.db'}"
        return
    server = request.getfixturevalue("postgres")
    name = f"kv_test_{os.getpid()}_{next(_counter)}"
    _pg_admin_sql(server, f'CREATE DATABASE "{name}"')
    yield _admin(server)[1](name)
    _pg_admin_sql(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """An empty SQLite database URL (for tests that need only one backend)."""
    return f"sqlite:///{tmp_path / 'keyvigil.db'}"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    """A click runner with stdout and stderr kept apart, isolated from the user's database."""
    monkeypatch.setenv("KEYVIGIL_DB", f"sqlite:///{tmp_path / 'default.db'}")
    monkeypatch.setenv("KEYVIGIL_ACTOR", "tester")
    monkeypatch.delenv("KEYVIGIL_POLICY", raising=False)
    return CliRunner()
