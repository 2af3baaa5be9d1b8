"""Render the incident report: the audit report's templates, fonts and PDF/A-3 machinery."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from sqlmodel import Session

from toolkit.errors import ReportError
from toolkit.reports.render import builtin_templates, make_environment, user_logo
from toolkit.runbooks.engine import RunOptions
from toolkit.runbooks.model import IncidentView
from toolkit.runbooks.records import find_incident, trail, with_retry
from toolkit.runbooks.report_data import IncidentReport, build_report
from toolkit.store.engine import Store
from toolkit.timeutil import isoformat

DATA_NAME = "incident.json"
TEMPLATE = "incident.html"


@dataclass(frozen=True)
class RenderedIncident:
    """The HTML, the PDF bytes and page count, and the attached data with its digest."""

    html: str
    pdf: bytes
    pages: int
    data: bytes
    data_sha256: str


def _plain(value: Any) -> Any:
    """JSON-ready values: datetimes as ISO 8601 UTC."""
    if isinstance(value, datetime):
        return isoformat(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def report_bytes(report: IncidentReport) -> bytes:
    """The report's data as canonical JSON (attached to the PDF as incident.json)."""
    text = json.dumps(_plain(asdict(report)), sort_keys=True, indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def utc(value: datetime | None) -> str:
    """'1 Oct 2026 08:10 UTC'; '-' for None."""
    if value is None:
        return "-"
    return f"{value.day} {value:%b %Y %H:%M} UTC"


def render_incident_report(
    report: IncidentReport, *, organisation: str, templates: str | Path | None = None,
    strict: bool = False,
) -> RenderedIncident:  # fmt: skip
    """Render the report to HTML and PDF/A-3b with its data attached."""
    data = report_bytes(report)
    digest = hashlib.sha256(data).hexdigest()
    env = make_environment(templates, strict=strict)
    env.filters["utc"] = utc
    try:
        html = env.get_template(TEMPLATE).render(
            report=report, data_sha256=digest, organisation=organisation, logo=user_logo(templates)
        )
    except jinja2.TemplateNotFound as exc:
        raise ReportError(f"{exc.name}: template not found") from exc
    except jinja2.UndefinedError as exc:
        raise ReportError(f"{TEMPLATE}: {exc.message}") from exc
    from toolkit.reports.pdf import PdfAttachment, html_to_pdf  # WeasyPrint: ~1 s to import

    attachment = PdfAttachment(DATA_NAME, data, f"Incident {report.incident.ref}", "Source")
    output = html_to_pdf(
        html, base_url=str(builtin_templates()), attachments=(attachment,), when=report.as_of
    )
    return RenderedIncident(html, output.data, output.pages, data, digest)


@dataclass(frozen=True)
class WrittenIncident:
    """Where the report went, its pages and digests."""

    path: Path
    pages: int
    pdf_sha256: str
    data_sha256: str


def write_incident_report(
    store: Store, ref: str, out: Path, options: RunOptions, *, as_of: datetime,
    organisation: str, templates: str | Path | None = None,
) -> WrittenIncident:  # fmt: skip
    """Build, render and write the report of ``ref``; the trail records the file's digest."""
    with store.session() as session:
        report = build_report(session, ref, options, as_of, options.evidence_root)
    rendered = render_incident_report(report, organisation=organisation, templates=templates)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(rendered.pdf)
    except OSError as exc:
        raise ReportError(f"{out}: cannot write the report ({exc.strerror})") from None
    pdf_sha = hashlib.sha256(rendered.pdf).hexdigest()

    def record(session: Session) -> None:
        incident = IncidentView.of(find_incident(session, ref))
        trail(session, incident, options.actor, "incident.report.written", as_of,
              path=str(out), pdf_sha256=pdf_sha, data_sha256=rendered.data_sha256)  # fmt: skip

    with_retry(store, record, "incident report")
    return WrittenIncident(out, rendered.pages, pdf_sha, rendered.data_sha256)
