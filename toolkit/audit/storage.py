"""Stored runs: an AuditRun row with the canonical document, one FindingRow per finding."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime
from typing import Any, cast

from sqlalchemy import insert
from sqlalchemy.orm import QueryableAttribute, defer
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from toolkit.audit.result import FindingRecord, ResultDocument
from toolkit.errors import AuditError
from toolkit.store.tables import AuditRun, FindingRow
from toolkit.timeutil import isoformat

FINDINGS = FindingRow.__table__  # type: ignore[attr-defined]
"""The findings table itself: Core inserts skip the ORM's per-row bookkeeping."""


def new_run_id(as_of: datetime) -> str:
    """``run-YYYYMMDD-<8 hex>``, dated by the as-of time."""
    return f"run-{as_of:%Y%m%d}-{secrets.token_hex(4)}"


def scope_digest(doc: ResultDocument) -> str:
    """SHA-256 of the sorted frameworks, the kinds of input and the policy digest: runs with the
    same scope are comparable.

    File names are left out on purpose: next quarter's export has a new name but is the same
    scope; a run without logs (or scan results) is not comparable with one that had them.
    """
    scope = {
        "frameworks": sorted(doc.frameworks_selected),
        "inputs": sorted({i.kind for i in doc.inputs}),
        "policy": doc.policy_digest,
    }
    return hashlib.sha256(json.dumps(scope, sort_keys=True).encode("utf-8")).hexdigest()


def save_run(
    session: Session, doc: ResultDocument, body: bytes, *, run_id: str, actor: str, at: datetime
) -> AuditRun:
    """Store the run row (with the document's exact bytes) and a row per finding."""
    run = AuditRun(
        id=run_id,
        created_at=at,
        as_of=doc_as_of(doc),
        actor=actor,
        inputs=[i.model_dump() for i in doc.inputs],
        policy=doc.policy,
        policy_digest=doc.policy_digest,
        frameworks=doc.frameworks_selected,
        scope_digest=scope_digest(doc),
        tool_version=doc.tool_version,
        ruleset_version=doc.ruleset_version,
        summary=doc.summary.model_dump(),
        result_sha256=hashlib.sha256(body).hexdigest(),
        result_json=body.decode("utf-8"),
    )
    session.add(run)
    session.flush()
    rows = finding_rows(run_id, doc.findings)
    if rows:  # one executemany: audits of large inventories have tens of thousands
        insert_findings(session, rows)
    return run


def insert_findings(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert finding rows: one Core executemany, or on SQLite the driver's own.

    On SQLite, SQLAlchemy's per-row parameter processing cost more than the insert; the only
    value it converts is ``evidence``, written here as its JSON type writes it (``json.dumps``).
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        connection.execute(insert(FINDINGS), rows)
        return
    names = list(rows[0])
    evidence = names.index("evidence")
    params = []
    for row in rows:
        values = list(row.values())
        values[evidence] = json.dumps(values[evidence])
        params.append(tuple(values))
    slots = ", ".join("?" for _ in names)
    sql = f"INSERT INTO findings ({', '.join(names)}) VALUES ({slots})"
    connection.exec_driver_sql(sql, params)


def doc_as_of(doc: ResultDocument) -> datetime:
    """The document's as-of time as a datetime."""
    return datetime.fromisoformat(doc.as_of.replace("Z", "+00:00"))


def finding_rows(run_id: str, findings: list[FindingRecord]) -> list[dict[str, Any]]:
    """One row (as column values) per finding of the document."""
    return [
        {
            "run_id": run_id,
            "finding_id": f.id,
            "rule_id": f.rule_id,
            "severity": f.severity,
            "subject": f.subject,
            "provider": f.provider or (f.key.provider if f.key else None),
            "environment": f.environment or (f.key.environment if f.key else None),
            "message": f.message,
            "evidence": f.evidence,
            "waiver_id": f.waiver.id if f.waiver else None,
            "waiver_state": f.waiver.state if f.waiver else None,
        }
        for f in findings
    ]


_DOCUMENT = cast(QueryableAttribute[Any], AuditRun.result_json)
"""The run's document column as the ORM attribute it is (SQLModel types it as its value)."""


def run_facts() -> SelectOfScalar[AuditRun]:
    """A query of runs without their result documents (100 MB for a large audit): each is
    read from the database when asked for (``run_document``, ``run_bytes``), inside the
    session, so listing runs or finding one does not read every document stored."""
    return select(AuditRun).options(defer(_DOCUMENT))


def list_runs(session: Session) -> list[AuditRun]:
    """Every stored run, newest first."""
    query = run_facts().order_by(col(AuditRun.created_at).desc(), col(AuditRun.id).desc())
    return list(session.exec(query).all())


def get_run(session: Session, ref: str) -> AuditRun:
    """A run by id, unique id prefix, or ``latest``; unknown or ambiguous refs are errors."""
    if ref == "latest":
        runs = list_runs(session)
        if not runs:
            raise AuditError("RUN: no audit runs stored yet (run `keyvigil audit run` first)")
        return runs[0]
    run = session.get(AuditRun, ref, options=[defer(_DOCUMENT)])
    if run is not None:
        return run
    found = list(session.exec(run_facts().where(col(AuditRun.id).startswith(ref))).all())
    if len(found) == 1:
        return found[0]
    if found:
        raise AuditError(f"RUN: {ref!r} matches {len(found)} runs; give more of the id")
    raise AuditError(f"RUN: no audit run {ref!r} (see `keyvigil audit list`)")


def run_text(run: AuditRun) -> str:
    """The stored document's canonical text (UTF-8 encoded, its SHA-256 is ``result_sha256``)."""
    if not run.result_json:
        raise AuditError(f"RUN: run {run.id} has no stored result document")
    return run.result_json


def run_document(run: AuditRun) -> ResultDocument:
    """The stored result document of a run, read back as the typed model."""
    return ResultDocument.from_bytes(run_text(run))


def run_bytes(run: AuditRun) -> bytes:
    """The stored document's exact bytes (its SHA-256 is ``result_sha256``)."""
    return run_text(run).encode("utf-8")


def previous_run(session: Session, run: AuditRun) -> AuditRun | None:
    """The latest run before ``run`` with the same scope (what a report compares against)."""
    query = (
        run_facts()
        .where(AuditRun.scope_digest == run.scope_digest, AuditRun.id != run.id)
        .where(col(AuditRun.created_at) <= run.created_at)
        .order_by(col(AuditRun.created_at).desc(), col(AuditRun.id).desc())
    )
    return session.exec(query).first()


def run_row(run: AuditRun) -> dict[str, Any]:
    """A run's facts as plain data (for ``audit list/show --json``)."""
    return {
        "id": run.id,
        "created_at": isoformat(run.created_at),
        "as_of": isoformat(run.as_of),
        "actor": run.actor,
        "frameworks": run.frameworks,
        "inputs": run.inputs,
        "policy_digest": run.policy_digest,
        "scope_digest": run.scope_digest,
        "tool_version": run.tool_version,
        "ruleset_version": run.ruleset_version,
        "result_sha256": run.result_sha256,
        "summary": run.summary,
    }
