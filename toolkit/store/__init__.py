"""The store: SQLModel tables, the engine and schema upgrades."""

from __future__ import annotations

from toolkit.store.engine import Store, open_store, resolve_db_url
from toolkit.store.tables import (
    Attestation,
    AuditRun,
    Evidence,
    FindingRow,
    ImportRecord,
    Incident,
    IncidentRole,
    Key,
    ScheduledRevocation,
    StepRecord,
    TrailEntry,
    Waiver,
)

__all__ = [
    "Attestation",
    "AuditRun",
    "Evidence",
    "FindingRow",
    "ImportRecord",
    "Incident",
    "IncidentRole",
    "Key",
    "ScheduledRevocation",
    "StepRecord",
    "Store",
    "TrailEntry",
    "Waiver",
    "open_store",
    "resolve_db_url",
]
