"""Opening the database: the URL to use, SQLite pragmas, and schema upgrades on first use."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import platformdirs
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlmodel import Session, create_engine

from toolkit.errors import StoreError
from toolkit.store.locks import READ_ONLY
from toolkit.store.migrate import upgrade

ENV_DB = "KEYVIGIL_DB"


def default_db_path() -> Path:
    """The SQLite file used when neither ``--db`` nor ``KEYVIGIL_DB`` is given."""
    return Path(platformdirs.user_data_dir("keyvigil", appauthor=False)) / "keyvigil.db"


def resolve_db_url(cli_value: str | None) -> str:
    """``--db`` wins, then ``KEYVIGIL_DB``, then the SQLite file in the user's data directory.

    A plain file path is accepted and turned into an SQLite URL.
    """
    value = cli_value or os.environ.get(ENV_DB) or str(default_db_path())
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    return value


def display_url(url: str) -> str:
    """The URL with any password hidden, safe to print."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


SQLITE_BUSY_SECONDS = 300
"""How long an SQLite command waits for another writer to finish before giving up."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL journal and enforced foreign keys on every SQLite connection; transactions are
    begun by ``_sqlite_begin`` (the driver's own implicit BEGIN is switched off)."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    """Begin every SQLite transaction IMMEDIATE: it takes the write lock at once (waiting up to
    ``SQLITE_BUSY_SECONDS`` for another writer), so two commands never interleave their reads
    of the trail head or of existing keys with each other's writes. A read-only session
    begins DEFERRED and reads a snapshot beside any writer (WAL)."""
    read_only = connection.get_execution_options().get(READ_ONLY)
    connection.exec_driver_sql("BEGIN DEFERRED" if read_only else "BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``; an SQLite file's folder is created when missing."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"--db: not a database URL: {display_url(url)}") from exc
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    sqlite = parsed.get_backend_name() == "sqlite"
    try:
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_SECONDS} if sqlite else {},
            json_deserializer=orjson.loads,  # JSON columns, read fast
        )
    except (ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot use database {display_url(url)}: {type(exc).__name__}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


@dataclass
class Store:
    """An open, upgraded database."""

    url: str
    engine: Engine
    trail_key: bytes | None = None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose work commits on success and rolls back whole on any error.

        ``session.info["trail_key"]`` carries the trail's HMAC key (None: plain SHA-256).
        """
        with Session(self.engine, expire_on_commit=False) as session:
            session.info["trail_key"] = self.trail_key
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A session for commands that only read: it never waits for a writer on SQLite.

        Nothing is committed: closing the session ends its transaction, and the objects it
        loaded stay readable afterwards.
        """
        bind = self.engine.execution_options(**{READ_ONLY: True})
        with Session(bind, expire_on_commit=False) as session:
            session.info["trail_key"] = self.trail_key
            yield session

    @property
    def display(self) -> str:
        """Where the data lives, safe to print."""
        return display_url(self.url)


def open_store(url: str, trail_key: bytes | None = None) -> Store:
    """Open the database at ``url`` and bring its schema to the current version.

    ``trail_key``, when given, authenticates new trail entries with HMAC-SHA256.
    """
    engine = make_engine(url)
    try:
        upgrade(engine)
    except OperationalError as exc:
        reason = str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__
        raise StoreError(f"cannot open database {display_url(url)}: {reason}") from None
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot open database {display_url(url)}: {type(exc).__name__}") from None
    return Store(url=url, engine=engine, trail_key=trail_key)
