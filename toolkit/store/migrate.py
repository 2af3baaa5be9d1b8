"""Schema versioning with Alembic: a database made by any release upgrades to this one."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from toolkit.store.locks import READ_ONLY, hold_write_lock

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    """An Alembic configuration pointing at the packaged migration scripts."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str | None:
    """The newest schema revision this release knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The schema revision recorded in the database (None for an empty one)."""
    with engine.execution_options(**{READ_ONLY: True}).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the head revision, doing nothing when already there."""
    head = head_revision()
    if current_revision(engine) == head:
        return
    config = alembic_config()
    with engine.begin() as connection:
        hold_write_lock(connection)  # a second process waits here, then finds the schema made
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
