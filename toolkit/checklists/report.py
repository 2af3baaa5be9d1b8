"""The managers' checklist report: one-page overview, every item with its evidence or
attestation, a sign-off block; PDF/A-3b with the status attached, recorded in the trail."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from sqlmodel import Session

from toolkit.checklists.evaluators.interface import EvidenceContext
from toolkit.checklists.model import Checklist
from toolkit.checklists.records import checklist_record
from toolkit.checklists.status import (
    LABELS,
    STATES,
    ChecklistStatus,
    ItemStatus,
    State,
    evaluate_all,
)
from toolkit.errors import ReportError
from toolkit.reports.render import builtin_templates, make_environment
from toolkit.rules.policy import Policy
from toolkit.store.engine import Store
from toolkit.timeutil import isoformat
from toolkit.trail import append

TEMPLATE = "checklist.html"
STATUS_NAME = "checklist-status.json"
TRAIL_ACTION = "checklist.report"
MARKS = {
    State.HOLDS: "✓",
    State.ATTESTED: "✓",
    State.FAILS: "✗",
    State.EXPIRED: "!",
    State.NOT_ASSESSED: "?",
}
"""A mark per state that survives greyscale printing, beside the word."""


@dataclass(frozen=True)
class ChecklistReport:
    """What the template renders: the statuses, totals, what needs attention, integrity facts."""

    report_id: str
    organisation: str
    as_of: str
    actor: str
    checklists: tuple[ChecklistStatus, ...]
    totals: dict[str, int]
    attention: tuple[tuple[ChecklistStatus, ItemStatus], ...]
    status_sha256: str
    labels: dict[str, str]
    marks: dict[str, str]


@dataclass(frozen=True)
class WrittenReport:
    """A written report: where, its id, digests and page count."""

    path: Path
    report_id: str
    pdf_sha256: str
    status_sha256: str
    pages: int


def status_bytes(statuses: Sequence[ChecklistStatus]) -> bytes:
    """The attached status document: canonical JSON of every checklist's items."""
    doc = {
        "schema": "keyvigil.checklist-status/1",
        "checklists": [checklist_record(s) for s in statuses],
    }
    return (json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def build_report(
    statuses: Sequence[ChecklistStatus], organisation: str, as_of: datetime, actor: str
) -> ChecklistReport:
    """The template's context for ``statuses``."""
    totals = {state.value: 0 for state in STATES}
    for checklist in statuses:
        for name, count in checklist.counts().items():
            totals[name] += count
    attention = tuple((c, item) for c in statuses for item in c.items if item.overdue)
    return ChecklistReport(
        report_id=f"checklists-{as_of:%Y%m%d}-{secrets.token_hex(4)}",
        organisation=organisation,
        as_of=isoformat(as_of) or "",
        actor=actor,
        checklists=tuple(statuses),
        totals=totals,
        attention=attention,
        status_sha256=hashlib.sha256(status_bytes(statuses)).hexdigest(),
        labels={state.value: label for state, label in LABELS.items()},
        marks={state.value: mark for state, mark in MARKS.items()},
    )


def render_html(report: ChecklistReport, templates: Path | None, strict: bool = False) -> str:
    """The report as one HTML page, from ``checklist.html`` (user folder first)."""
    env = make_environment(templates, strict=strict)
    values: dict[str, Any] = {name: getattr(report, name) for name in report.__dataclass_fields__}
    try:
        return env.get_template(TEMPLATE).render(**values)
    except jinja2.TemplateNotFound as exc:
        raise ReportError(f"{exc.name}: template not found") from None
    except jinja2.UndefinedError as exc:
        raise ReportError(f"{TEMPLATE}: {exc.message}") from None


def render_pdf(report: ChecklistReport, statuses: Sequence[ChecklistStatus], html: str) -> Any:
    """PDF/A-3b of ``html`` with the status document attached."""
    from toolkit.reports.pdf import PdfAttachment, html_to_pdf  # WeasyPrint: about 1 s to import

    attachment = PdfAttachment(
        STATUS_NAME, status_bytes(statuses), f"Checklist status {report.report_id}", "Source"
    )
    when = datetime.fromisoformat(report.as_of.replace("Z", "+00:00"))
    return html_to_pdf(
        html, base_url=str(builtin_templates()), attachments=(attachment,), when=when
    )


def write_report(
    session: Session,
    report: ChecklistReport,
    statuses: Sequence[ChecklistStatus],
    out: Path,
    *,
    templates: Path | None = None,
    at: datetime,
) -> WrittenReport:
    """Render, write ``out`` and record the report (its digests) in the trail."""
    output = render_pdf(report, statuses, render_html(report, templates))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(output.data)
    except OSError as exc:
        raise ReportError(f"{out}: cannot write report: {exc.strerror}") from None
    digest = hashlib.sha256(output.data).hexdigest()
    payload = {
        "report_id": report.report_id,
        "checklists": [c.checklist.id for c in statuses],
        "as_of": report.as_of,
        "counts": report.totals,
        "path": str(out),
        "pdf_sha256": digest,
        "status_sha256": report.status_sha256,
    }
    append(session, actor=report.actor, action=TRAIL_ACTION, payload=payload, at=at)
    return WrittenReport(out, report.report_id, digest, report.status_sha256, output.pages)


@dataclass(frozen=True)
class ReportRequest:
    """A checklist report to write: which checklists, as of when, by whom, where."""

    checklists: tuple[Checklist, ...]
    policy: Policy
    as_of: datetime
    actor: str
    out: Path
    templates: Path | None = None
    playbooks: Path | None = None


def report_checklists(store: Store, request: ReportRequest) -> WrittenReport:
    """Evaluate the checklists now, write the PDF and record it in the trail."""
    with store.session() as session:
        ctx = EvidenceContext(session, request.policy, request.as_of, request.playbooks)
        statuses = evaluate_all(list(request.checklists), ctx)
        report = build_report(statuses, request.policy.organisation, request.as_of, request.actor)
        return write_report(
            session, report, statuses, request.out, templates=request.templates, at=request.as_of
        )
