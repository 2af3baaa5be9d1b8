"""Serialising writers: two keyvigil commands on one database never interleave their writes.

On SQLite every transaction begins IMMEDIATE (see ``engine``), which already holds the one write
lock. On PostgreSQL a transaction-scoped advisory lock does the same for the writes that read
before they write: trail appends (the head), inventory upserts (the existing keys) and schema
creation. The lock is released when the transaction ends, by commit or by rollback.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlmodel import Session

READ_ONLY = "keyvigil_read_only"
"""Execution option marking a read-only connection: on SQLite it begins DEFERRED (no write lock)."""
WRITE_LOCK_ID = 0x6B657976  # "keyv": the advisory lock id all keyvigil writers share


def hold_write_lock(connection: Connection | Session) -> None:
    """Take the writers' lock for the rest of the current transaction (waits for the holder)."""
    bind = connection.get_bind() if isinstance(connection, Session) else connection
    if bind.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": WRITE_LOCK_ID})
