"""Render the audit report (HTML and PDF/A-3b with the result and findings attached).

``render_run`` is the one renderer of a stored run's report: ``audit report RUN`` and the
``pdf``/``html`` outputs of ``audit run`` both go through it with the same ``RunMeta``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from toolkit.audit.facts import HistoryPoint, RunMeta
from toolkit.audit.result import ResultDocument
from toolkit.reports.build import build_context
from toolkit.reports.changes import change_from_diff
from toolkit.reports.context import Change, ReportOptions, RunFacts
from toolkit.reports.findings_csv import findings_csv
from toolkit.reports.render import builtin_templates, make_environment, render_html, user_logo
from toolkit.timeutil import isoformat

RESULT_NAME = "result.json"
CSV_NAME = "findings.csv"


@dataclass(frozen=True)
class RenderedReport:
    """One rendering: the HTML, the PDF (when asked for) and the attached files."""

    html: str
    pdf: bytes | None
    pages: int | None
    result: bytes
    csv: bytes


def sha256(data: bytes) -> str:
    """SHA-256 hex of bytes."""
    return hashlib.sha256(data).hexdigest()


def render_audit_report(
    doc: ResultDocument,
    run: RunFacts,
    options: ReportOptions | None = None,
    *,
    pdf: bool = True,
    change: Change | None = None,
    history: Sequence[HistoryPoint] = (),
    strict: bool = False,
    when: datetime | None = None,
    result: bytes | None = None,
) -> RenderedReport:
    """Render ``doc`` for ``run``; the PDF embeds ``result`` (the document's stored bytes,
    its canonical bytes when not given) and the findings CSV."""
    options = options or ReportOptions()
    result = doc.canonical() if result is None else result
    if run.result_sha256 is None:
        run = RunFacts(run.run_id, run.created_at, run.actor, sha256(result))
    context = build_context(
        doc,
        run,
        options,
        change=change,
        history=history,
        logo=user_logo(options.templates),
    )
    html = render_html(context, make_environment(options.templates, strict=strict))
    table = findings_csv(doc)
    if not pdf:
        return RenderedReport(html=html, pdf=None, pages=None, result=result, csv=table)
    from toolkit.reports.pdf import PdfAttachment, html_to_pdf  # WeasyPrint: ~1 s to import

    attachments = (
        PdfAttachment(RESULT_NAME, result, f"Audit result of run {run.run_id}", "Source"),
        PdfAttachment(CSV_NAME, table, f"All findings of run {run.run_id}", "Data"),
    )
    output = html_to_pdf(
        html, base_url=str(builtin_templates()), attachments=attachments, when=when
    )
    return RenderedReport(html=html, pdf=output.data, pages=output.pages, result=result, csv=table)


def run_facts(meta: RunMeta) -> RunFacts:
    """What the report prints about the stored run."""
    return RunFacts(meta.run_id, isoformat(meta.created_at), meta.actor, meta.result_sha256 or None)


def render_run(
    doc: ResultDocument,
    meta: RunMeta,
    options: ReportOptions | None = None,
    *,
    pdf: bool = True,
    result: bytes | None = None,
) -> RenderedReport:
    """The report of a stored run: its facts, the change since and trend over earlier runs."""
    return render_audit_report(
        doc,
        run_facts(meta),
        options,
        pdf=pdf,
        change=change_from_diff(meta.previous, meta.previous_run_id, doc),
        history=meta.history,
        when=meta.created_at,
        result=result,
    )
