"""The inventory as a DuckDB table, so detections can join access events to keys in SQL."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

if TYPE_CHECKING:
    from toolkit.models import KeyBase

PLACEHOLDER = re.compile(r"#access_key_\d+$")
"""Credential-report rows without a key id get ``<user ARN>#access_key_N``: match by principal."""

_TIMES = ("created_at", "expires_at", "last_used_at", "last_rotated_at", "revoked_at")
_TEXTS = ("key_id", "provider", "principal", "environment", "name", "owner")


def is_placeholder(key_id: str) -> bool:
    """True for ids that stand for "the Nth key of this user" rather than a real key id."""
    return bool(PLACEHOLDER.search(key_id))


def _frame(keys: Sequence[KeyBase]) -> pd.DataFrame:
    """One row per key: its row number ``kid`` (the join key), texts, flags and UTC times."""
    data: dict[str, object] = {"kid": pd.array(range(len(keys)), dtype="int64")}
    for name in _TEXTS:
        data[name] = pd.Series([getattr(k, name) for k in keys], dtype="object")
    data["active"] = pd.Series([bool(k.active) for k in keys], dtype="bool")
    data["placeholder"] = pd.Series([is_placeholder(k.key_id) for k in keys], dtype="bool")
    for name in _TIMES:
        data[name] = pd.to_datetime(pd.Series([getattr(k, name) for k in keys]), utc=True)
    return pd.DataFrame(data)


def register_inventory(con: duckdb.DuckDBPyConnection, keys: Sequence[KeyBase]) -> int:
    """(Re)create the table ``inventory`` from ``keys``; return its row count."""
    frame = _frame(keys)  # noqa: F841  (DuckDB reads the local frame by name)
    columns = ", ".join(
        ["kid::INTEGER AS kid"]
        + [f"{n}::VARCHAR AS {n}" for n in _TEXTS]
        + ["active", "placeholder"]
        + [f"{n}::TIMESTAMPTZ AS {n}" for n in _TIMES]
    )
    con.execute("DROP TABLE IF EXISTS inventory")
    con.execute(f"CREATE TABLE inventory AS SELECT {columns} FROM frame")
    return len(keys)
