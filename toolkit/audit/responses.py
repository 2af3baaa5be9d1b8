"""Management responses to findings: record one (``keyvigil finding respond``), read them back.

Responses are kept per finding id (rule + subject, stable across runs), one row per change;
the latest row is in force and every later run that finds the finding carries it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from toolkit.audit.response_record import CLOSED, STATUSES, ResponseBook, ResponseFacts
from toolkit.audit.result import FindingRecord
from toolkit.audit.storage import doc_as_of, get_run, run_document
from toolkit.errors import ResponseError
from toolkit.rules.policy import RemediationDays
from toolkit.store.tables import AuditRun, FindingResponse, FindingRow
from toolkit.timeutil import isoformat
from toolkit.trail import append

TRAIL_ACTION = "finding.respond"
ID_SHAPE = re.compile(r"^[0-9a-f]{4,16}(-[0-9]+)?$")
"""A finding id as reports show it (16 hex digits, ``-N`` for a repeat), or a prefix of one."""


@dataclass(frozen=True)
class ResponseChange:
    """What ``finding respond`` was asked to set; None keeps the value in force."""

    owner: str | None = None
    due: date | None = None
    status: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class FoundFinding:
    """The finding a response is about, as the latest stored run that found it shows it."""

    finding_id: str
    rule_id: str
    subject: str
    severity: str


def parse_status(text: str | None) -> str | None:
    """``open``, ``in-progress``/``in progress``/``in_progress``, ``fixed``, ``risk-accepted``."""
    if text is None:
        return None
    status = re.sub(r"[\s-]+", "_", text.strip().lower())
    if status not in STATUSES:
        names = ", ".join(s.replace("_", "-") for s in STATUSES)
        raise ResponseError(f"--status: expected one of {names}")
    return status


def parse_due(text: str | None) -> date | None:
    """A due date given as YYYY-MM-DD (the value is not echoed back)."""
    if text is None:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            raise ValueError
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ResponseError("--due: not a date (expected YYYY-MM-DD, e.g. 2026-12-31)") from None


def find_finding(session: Session, ref: str) -> FoundFinding:
    """The finding with id ``ref`` (or a unique prefix of it) in any stored run."""
    ref = ref.strip().lower()
    if not ID_SHAPE.match(ref):
        raise ResponseError(
            "ID: not a finding id (16 hex digits, as `keyvigil finding list` shows)"
        )
    query = (
        select(FindingRow.finding_id, FindingRow.rule_id, FindingRow.subject, FindingRow.severity)
        .join(AuditRun, col(AuditRun.id) == col(FindingRow.run_id))
        .where(col(FindingRow.finding_id).startswith(ref))
        .order_by(col(AuditRun.created_at).desc(), col(AuditRun.id).desc())
    )
    rows = list(session.exec(query).all())
    ids = {row[0] for row in rows}
    if not ids:
        raise ResponseError(f"ID: no finding {ref} in any stored audit run")
    if len(ids) > 1 and ref not in ids:
        raise ResponseError(f"ID: {ref} matches {len(ids)} findings; give more of the id")
    row = next(r for r in rows if r[0] == ref) if ref in ids else rows[0]
    return FoundFinding(*row)


def latest_response(session: Session, finding_id: str) -> FindingResponse | None:
    """The response in force for one finding, or None."""
    query = (
        select(FindingResponse)
        .where(FindingResponse.finding_id == finding_id)
        .order_by(col(FindingResponse.id).desc())
    )
    return session.exec(query).first()


def _text(value: str | None, option: str) -> str | None:
    """Stripped text; given but blank is refused."""
    if value is None:
        return None
    if not value.strip():
        raise ResponseError(f"{option}: must not be blank")
    return value.strip()


def _merged(before: FindingResponse | None, change: ResponseChange) -> ResponseChange:
    """The change applied over the response in force (values not given are kept)."""
    if all(v is None for v in (change.owner, change.due, change.status, change.note)):
        raise ResponseError(
            "finding respond: give at least one of --owner, --due, --status, --note"
        )
    owner, note = _text(change.owner, "--owner"), _text(change.note, "--note")
    status = change.status or (before.status if before else "open")
    if status == "risk_accepted" and note is None and (before is None or before.status != status):
        raise ResponseError("--note: required with --status risk-accepted (say why it is accepted)")
    return ResponseChange(
        owner=owner if owner is not None else (before.owner if before else None),
        due=change.due if change.due is not None else (before.due if before else None),
        status=status,
        note=note if note is not None else (before.note if before else None),
    )


def record_response(
    session: Session, ref: str, change: ResponseChange, *, actor: str, at: datetime
) -> tuple[FoundFinding, FindingResponse]:
    """Store a response to finding ``ref`` (merged with the one in force) and its trail entry."""
    found = find_finding(session, ref)
    merged = _merged(latest_response(session, found.finding_id), change)
    row = FindingResponse(
        finding_id=found.finding_id,
        owner=merged.owner,
        due=merged.due,
        status=merged.status or "open",
        note=merged.note,
        responded_at=at,
        responded_by=actor,
    )
    session.add(row)
    session.flush()
    append(session, actor=actor, action=TRAIL_ACTION, payload=response_data(found, row), at=at)
    return found, row


def response_data(found: FoundFinding, row: FindingResponse) -> dict[str, object]:
    """A recorded response as plain data (for the trail and ``--json``)."""
    return {
        "finding_id": found.finding_id,
        "rule_id": found.rule_id,
        "subject": found.subject,
        "owner": row.owner,
        "due": row.due.isoformat() if row.due else None,
        "status": row.status,
        "closed": row.status in CLOSED,
        "note": row.note,
        "responded_at": isoformat(row.responded_at),
        "responded_by": row.responded_by,
    }


def stored_responses(session: Session) -> dict[str, ResponseFacts]:
    """The response in force for every finding that has one."""
    rows = session.exec(select(FindingResponse).order_by(col(FindingResponse.id))).all()
    return {
        row.finding_id: ResponseFacts(
            status=row.status,
            responded_at=row.responded_at,
            responded_by=row.responded_by,
            owner=row.owner,
            due=row.due,
            note=row.note,
        )
        for row in rows  # later rows replace earlier ones
    }


def first_found(session: Session) -> dict[str, datetime]:
    """Finding id -> as-of time of the earliest stored run that found it."""
    query = (
        select(FindingRow.finding_id, func.min(AuditRun.as_of))
        .join(AuditRun, col(AuditRun.id) == col(FindingRow.run_id))
        .group_by(col(FindingRow.finding_id))
    )
    return dict(session.exec(query).all())


def current_responses(session: Session, ref: str) -> tuple[str, list[FindingRecord]]:
    """Run ``ref``'s findings with the responses in force now, judged at that run's as-of.

    What the next run of the same scope will show for them (``finding list``).
    """
    run = get_run(session, ref)
    doc = run_document(run)
    days = RemediationDays.model_validate(doc.policy.get("remediation_days") or {})
    book = ResponseBook(doc_as_of(doc), days, stored_responses(session), first_found(session))
    findings = [
        f.model_copy(
            update={
                "response": book.record(f.id, f.severity, f.key.owner if f.key else None, f.waived)
            }
        )
        for f in doc.findings
    ]
    return run.id, findings
