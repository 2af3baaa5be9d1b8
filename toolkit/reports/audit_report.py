"""Render the audit report (HTML and PDF/A-3b with the result and findings attached)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from toolkit.errors import ReportError
from toolkit.reports.build import build_context
from toolkit.reports.context import Change, ReportOptions, RunFacts
from toolkit.reports.render import builtin_templates, make_environment, render_html, user_logo
from toolkit.reports.summary import change_from_diff
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


def canonical_result(doc: dict[str, Any]) -> bytes:
    """The result document's canonical bytes (RESULT_CONTRACT.md), as the JSON exporter makes."""
    try:
        from toolkit.reports.exporters.json import canonical_bytes
    except ImportError:
        text = json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
        return text.encode("utf-8")
    return canonical_bytes(doc)


def sha256(data: bytes) -> str:
    """SHA-256 hex of bytes."""
    return hashlib.sha256(data).hexdigest()


def csv_bytes(doc: dict[str, Any], run: RunFacts) -> bytes:
    """The findings CSV attached to the PDF: exactly what the CSV exporter writes."""
    from toolkit.reports.exporters import EXPORTERS

    data = EXPORTERS["csv"].export(doc, run)
    return data.encode("utf-8") if isinstance(data, str) else data


def render_audit_report(
    doc: dict[str, Any],
    run: RunFacts,
    options: ReportOptions | None = None,
    *,
    pdf: bool = True,
    change: Change | None = None,
    history: Sequence[dict[str, Any]] = (),
    strict: bool = False,
    when: datetime | None = None,
    result: bytes | None = None,
) -> RenderedReport:
    """Render ``doc`` for ``run``; the PDF embeds ``result`` (the document's stored bytes,
    canonical JSON when not given) and the findings CSV."""
    options = options or ReportOptions()
    result = canonical_result(doc) if result is None else result
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
    table = csv_bytes(doc, run)
    if not pdf:
        return RenderedReport(html=html, pdf=None, pages=None, result=result, csv=table)
    from toolkit.reports.pdf import PdfAttachment, html_to_pdf

    attachments = (
        PdfAttachment(RESULT_NAME, result, f"Audit result of run {run.run_id}", "Source"),
        PdfAttachment(CSV_NAME, table, f"All findings of run {run.run_id}", "Data"),
    )
    output = html_to_pdf(
        html, base_url=str(builtin_templates()), attachments=attachments, when=when
    )
    return RenderedReport(html=html, pdf=output.data, pages=output.pages, result=result, csv=table)


def _facts(meta: Any) -> RunFacts:
    """RunFacts from the exporters' RunMeta."""
    return RunFacts(meta.run_id, isoformat(meta.created_at), meta.actor, meta.result_sha256 or None)


def _exported(doc: dict[str, Any], meta: Any, pdf: bool) -> RenderedReport:
    """Render for ``audit run --format pdf,html``: comparison and history come in ``meta``."""
    return render_audit_report(
        doc,
        _facts(meta),
        ReportOptions(**(meta.extra or {}).get("report_options", {})),
        pdf=pdf,
        change=change_from_diff(meta.previous, meta.previous_run_id),
        history=(meta.extra or {}).get("history", ()),
        when=meta.created_at,
    )


def export_pdf(doc: dict[str, Any], meta: Any) -> bytes:
    """The ``pdf`` exporter: the full audit report as PDF/A-3b."""
    data = _exported(doc, meta, pdf=True).pdf
    if data is None:
        raise ReportError("pdf exporter: nothing rendered")
    return data


def export_html(doc: dict[str, Any], meta: Any) -> bytes:
    """The ``html`` exporter: the same report as one HTML page."""
    return _exported(doc, meta, pdf=False).html.encode("utf-8")
