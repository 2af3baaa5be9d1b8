"""The inventory as a DuckDB table, so detections can join access events to keys in SQL."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from toolkit.analytics.interface import InventoryKey, is_placeholder
from toolkit.timeutil import ensure_utc

COLUMNS = {
    "kid": "INTEGER",
    "key_id": "VARCHAR",
    "provider": "VARCHAR",
    "principal": "VARCHAR",
    "environment": "VARCHAR",
    "name": "VARCHAR",
    "owner": "VARCHAR",
    "active": "BOOLEAN",
    "placeholder": "BOOLEAN",
    "created_at": "TIMESTAMPTZ",
    "expires_at": "TIMESTAMPTZ",
    "last_used_at": "TIMESTAMPTZ",
    "last_rotated_at": "TIMESTAMPTZ",
    "revoked_at": "TIMESTAMPTZ",
}
"""The ``inventory`` table; ``kid`` (the key's position in the list) is the join key."""


def _cell(value: Any) -> Any:
    """A CSV cell: times as ISO 8601 UTC, booleans as true/false, None as empty.

    Dispatches on the exact type, commonest first: this runs for every cell of the inventory.
    """
    kind = type(value)
    if kind is str or kind is int:
        return value
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if isinstance(value, datetime):
        return (value if value.tzinfo is UTC else ensure_utc(value)).isoformat()
    return str(value)


_PLAIN = frozenset({str, int, type(None)})
"""Cell types the CSV writer takes as they are (it writes None as an empty cell, like "")."""


def _cells(row: Sequence, times: dict[datetime, str]) -> list[Any]:
    """A row's CSV cells; each distinct time is formatted once (``times`` remembers them)."""
    out = []
    for value in row:
        kind = value.__class__
        if kind in _PLAIN:
            out.append(value)
        elif kind is datetime:  # equal times are the same instant: one UTC text
            text = times.get(value)
            if text is None:
                text = times[value] = _cell(value)
            out.append(text)
        else:
            out.append(_cell(value))
    return out


def create_table(
    con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, str], rows: Iterable[Sequence]
) -> None:
    """(Re)create temp table ``name`` from Python rows, through a CSV file DuckDB reads at once.

    Empty cells are NULL; text is quoted, so commas, quotes and newlines survive.
    """
    with tempfile.TemporaryDirectory(prefix="keyvigil-") as folder:
        path = Path(folder) / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
            writer.writerow(list(columns))
            times: dict[datetime, str] = {}
            writer.writerows(_cells(row, times) for row in rows)
        types = ", ".join(f"'{c}': '{t}'" for c, t in columns.items())
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM read_csv(?, header = true, "
            f"quote = '\"', escape = '\"', nullstr = '', columns = {{{types}}})",
            [str(path)],
        )


def register_inventory(con: duckdb.DuckDBPyConnection, keys: Sequence[InventoryKey]) -> int:
    """(Re)create the table ``inventory`` from ``keys``; return its row count."""
    rows = (
        (
            kid, k.key_id, k.provider, k.principal, k.environment, k.name, k.owner,
            bool(k.active), is_placeholder(k.key_id), k.created_at, k.expires_at,
            k.last_used_at, k.last_rotated_at, k.revoked_at,
        )
        for kid, k in enumerate(keys)
    )  # fmt: skip
    create_table(con, "inventory", COLUMNS, rows)
    return len(keys)
