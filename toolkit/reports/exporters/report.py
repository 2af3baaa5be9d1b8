"""The audit report as ``audit run`` outputs (``pdf``, ``html``): the stored run's report."""

from __future__ import annotations

from toolkit.errors import ReportError
from toolkit.reports.audit_report import render_run
from toolkit.reports.exporters.interface import Document, Exporter, RunMeta


def export_pdf(doc: Document, run: RunMeta) -> bytes:
    """The full audit report as PDF/A-3b, as ``audit report RUN`` writes it."""
    data = render_run(doc, run, pdf=True).pdf
    if data is None:
        raise ReportError("pdf exporter: nothing rendered")
    return data


def export_html(doc: Document, run: RunMeta) -> bytes:
    """The same report as one HTML page."""
    return render_run(doc, run, pdf=False).html.encode("utf-8")


PDF = Exporter(
    name="pdf",
    suffix=".pdf",
    media_type="application/pdf",
    export=export_pdf,
    description="audit report (PDF/A-3b, result and findings attached)",
    needs_run_facts=True,
)
HTML = Exporter(
    name="html",
    suffix=".html",
    media_type="text/html",
    export=export_html,
    description="audit report (one HTML page)",
    needs_run_facts=True,
)
