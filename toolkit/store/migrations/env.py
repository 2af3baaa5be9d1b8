"""Alembic environment: runs migrations on the connection keyvigil hands it."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import toolkit.store.tables  # noqa: F401  (registers the tables on the metadata)

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    from sqlalchemy import create_engine

    connection = create_engine(config.get_main_option("sqlalchemy.url") or "").connect()

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
