"""keyvigil from Python, for auditors sampling in notebooks: stored runs, typed and as DataFrames.

    from toolkit.api import open_database
    db = open_database("keyvigil.db")             # a file, or any SQLAlchemy URL
    run = db.run("latest")
    run.findings_frame().groupby("severity").size()

Everything here only reads. docs/api.md has the walkthrough; docs/RESULT_CONTRACT.md every field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel

from toolkit.audit.result import (
    ControlRecord,
    FindingRecord,
    KeyRecord,
    ResultDocument,
    UsageRecord,
)
from toolkit.audit.storage import get_run, list_runs, run_document
from toolkit.errors import StoreError
from toolkit.store import AuditRun, Store, open_store, resolve_db_url


@dataclass(frozen=True)
class RunSummary:
    """One stored audit run as ``Database.runs()`` lists it."""

    id: str
    as_of: datetime
    created_at: datetime
    actor: str
    frameworks: tuple[str, ...]
    findings: int
    open: int
    result_sha256: str | None


@dataclass(frozen=True)
class FrameworkControl:
    """A control of one framework, with the framework it belongs to."""

    framework: str
    control: ControlRecord


def frame(records: Iterable[BaseModel]) -> pd.DataFrame:
    """Typed records as a DataFrame, one row per record and one column per field."""
    return pd.DataFrame.from_records([record.model_dump() for record in records])


def finding_row(finding: FindingRecord) -> dict[str, Any]:
    """A finding flattened for a table: key, waiver and response fields as their own columns."""
    key, waiver = finding.key, finding.waiver
    return {
        "id": finding.id,
        "rule_id": finding.rule_id,
        "severity": finding.severity,
        "tier": finding.tier,
        "subject": finding.subject,
        "message": finding.message,
        "provider": finding.provider or (key.provider if key else None),
        "environment": finding.environment or (key.environment if key else None),
        "key_name": key.name if key else None,
        "owner": key.owner if key else None,
        "waiver_state": waiver.state if waiver else None,
        "waiver_id": waiver.id if waiver else None,
        "response_owner": finding.response.owner,
        "response_due": finding.response.due,
        "response_status": finding.response.status,
        "response_overdue": finding.response.overdue,
        "evidence": finding.evidence,
    }


@dataclass(frozen=True)
class StoredRun:
    """One stored run: its facts and its result document, with tables of its parts."""

    id: str
    created_at: datetime
    actor: str
    document: ResultDocument

    @property
    def findings(self) -> list[FindingRecord]:
        """Every finding, waived ones included (``finding.waived`` says which)."""
        return self.document.findings

    @property
    def keys(self) -> list[KeyRecord]:
        """Every key in scope, with its age and number of findings."""
        return self.document.keys

    @property
    def usage(self) -> list[UsageRecord]:
        """Per-key activity in the access logs (empty when the run had no logs)."""
        return self.document.usage

    @property
    def controls(self) -> list[FrameworkControl]:
        """Every control of every selected framework, with its status."""
        return [FrameworkControl(fw.id, c) for fw in self.document.frameworks for c in fw.controls]

    def findings_frame(self) -> pd.DataFrame:
        """The findings as a table (key and waiver flattened; evidence kept as a dict)."""
        return pd.DataFrame.from_records([finding_row(f) for f in self.findings])

    def keys_frame(self) -> pd.DataFrame:
        """The keys as a table."""
        return frame(self.keys)

    def usage_frame(self) -> pd.DataFrame:
        """The per-key log activity as a table."""
        return frame(self.usage)

    def controls_frame(self) -> pd.DataFrame:
        """The controls as a table, with a ``framework`` column first."""
        rows = [{"framework": c.framework, **c.control.model_dump()} for c in self.controls]
        return pd.DataFrame.from_records(rows)


def summary(run: AuditRun) -> RunSummary:
    """A stored run row as a ``RunSummary``."""
    counts = run.summary or {}
    return RunSummary(
        id=run.id,
        as_of=run.as_of,
        created_at=run.created_at,
        actor=run.actor,
        frameworks=tuple(run.frameworks or ()),
        findings=int(counts.get("findings", 0)),
        open=int(counts.get("open", 0)),
        result_sha256=run.result_sha256,
    )


@dataclass(frozen=True)
class Database:
    """An open keyvigil database, read-only through this API."""

    store: Store

    def runs(self) -> list[RunSummary]:
        """Every stored audit run, newest first."""
        with self.store.session() as session:
            return [summary(run) for run in list_runs(session)]

    def runs_frame(self) -> pd.DataFrame:
        """The stored runs as a table, newest first."""
        return pd.DataFrame.from_records([vars(run) for run in self.runs()])

    def run(self, ref: str = "latest") -> StoredRun:
        """A run by id, unique id prefix or ``latest`` (AuditError when unknown)."""
        with self.store.session() as session:
            row = get_run(session, ref)
            return StoredRun(row.id, row.created_at, row.actor, run_document(row))


def open_database(location: str | Path) -> Database:
    """Open a keyvigil database: an SQLite file that exists, or an SQLAlchemy URL."""
    text = str(location)
    if "://" not in text and not Path(text).expanduser().is_file():
        raise StoreError(f"{text}: no such database file")
    return Database(open_store(resolve_db_url(text)))


__all__ = [
    "Database",
    "FrameworkControl",
    "RunSummary",
    "StoredRun",
    "frame",
    "open_database",
]
