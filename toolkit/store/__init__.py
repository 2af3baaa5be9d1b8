"""The store: SQLModel tables, the engine and schema upgrades.

Names are resolved lazily so that ``toolkit.models`` (which needs ``store.types``) can be
imported first without a circular import through ``store.tables``.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Store": "toolkit.store.engine",
    "open_store": "toolkit.store.engine",
    "resolve_db_url": "toolkit.store.engine",
    "Attestation": "toolkit.store.tables",
    "AuditRun": "toolkit.store.tables",
    "Evidence": "toolkit.store.tables",
    "FindingRow": "toolkit.store.tables",
    "ImportRecord": "toolkit.store.tables",
    "Incident": "toolkit.store.tables",
    "IncidentRole": "toolkit.store.tables",
    "Key": "toolkit.store.tables",
    "ScheduledRevocation": "toolkit.store.tables",
    "StepRecord": "toolkit.store.tables",
    "TrailEntry": "toolkit.store.tables",
    "Waiver": "toolkit.store.tables",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Import the defining module on first access of an exported name."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'toolkit.store' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
