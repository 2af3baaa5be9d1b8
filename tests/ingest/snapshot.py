"""Exact table contents of a database, to prove a failed command changed nothing."""

from __future__ import annotations

from sqlalchemy import MetaData, create_engine, select


def snapshot(url: str) -> dict[str, list[str]]:
    """Every row of every table, as sorted text, keyed by table name."""
    engine = create_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            return {
                table.name: sorted(repr(tuple(row)) for row in connection.execute(select(table)))
                for table in metadata.sorted_tables
            }
    finally:
        engine.dispose()
