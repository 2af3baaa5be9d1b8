"""The PDF read back with pypdf: pages, cover, matrices, attachments, PDF/A metadata."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from pypdf import PdfReader

from tests.reports.conftest import RUN_ID, load_sample
from toolkit.reports.audit_report import RenderedReport, render_audit_report
from toolkit.reports.context import ReportOptions, RunFacts
from toolkit.reports.findings_csv import findings_csv


def reader(report: RenderedReport) -> PdfReader:
    """A pypdf reader over the rendered bytes."""
    assert report.pdf is not None
    return PdfReader(io.BytesIO(report.pdf))


def flat(text: str) -> str:
    """Text without whitespace, so digests wrapped over lines still match."""
    return re.sub(r"\s+", "", text)


def test_page_count_in_range(sample_report: RenderedReport) -> None:
    assert 8 <= len(reader(sample_report).pages) <= 40
    assert sample_report.pages == len(reader(sample_report).pages)


def test_cover_has_run_id_and_input_digests(sample_report: RenderedReport) -> None:
    cover = flat(reader(sample_report).pages[0].extract_text())
    assert RUN_ID in cover
    for item in load_sample().inputs:
        assert item.sha256 in cover


def test_summary_is_page_two_and_fits_on_it(sample_report: RenderedReport) -> None:
    pages = [page.extract_text() for page in reader(sample_report).pages]
    assert "Where things stand" in pages[1] and "Most urgent actions" in pages[1]
    assert "Changes since the previous run" in pages[1] + pages[2]  # named lists follow it
    assert "At a glance" in pages[3] and "At a glance" not in pages[2]


def test_every_framework_has_its_control_matrix(sample_report: RenderedReport) -> None:
    text = "\n".join(page.extract_text() for page in reader(sample_report).pages)
    for framework in load_sample().frameworks:
        assert f"CONTROL MATRIX\n{framework.name}" in text
        for control in framework.controls:
            assert control.id in text


def test_attachments_are_the_result_and_csv(sample_report: RenderedReport) -> None:
    attached = reader(sample_report).attachments
    assert attached["result.json"] == [sample_report.result]
    assert attached["findings.csv"] == [sample_report.csv]
    assert sample_report.csv == findings_csv(load_sample())


def test_pdfa_and_integrity_metadata(sample_report: RenderedReport) -> None:
    pdf = reader(sample_report)
    xmp = pdf.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp
    digest = hashlib.sha256(sample_report.result).hexdigest()
    assert pdf.metadata["/keyvigilrunid"] == RUN_ID
    assert pdf.metadata["/keyvigilresultsha256"] == digest
    assert f"result-sha256:{digest}" in pdf.metadata["/Keywords"]
    assert f"result-sha256:{digest}".encode() in xmp
    assert "/AF" in pdf.trailer["/Root"]


def test_appendix_lists_every_key(sample_report: RenderedReport) -> None:
    pages = [page.extract_text() for page in reader(sample_report).pages]
    first = next(i for i, text in enumerate(pages) if "Every key audited" in text)
    appendix = "\n".join(pages[first:])
    for key in load_sample().keys:
        assert key.key_id in appendix


@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_executive_version_on_each_paper(paper: str, size: tuple[int, int]) -> None:
    report = render_audit_report(
        load_sample(), RunFacts(RUN_ID), ReportOptions(audience="executive", paper=paper)
    )
    pdf = reader(report)
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Where things stand" in text and "What was not evaluated" in text
    assert "CONTROL MATRIX" not in text and "Findings by rule" not in text
    assert "Every key audited" not in text
    assert 2 <= len(pdf.pages) <= 4


def test_pdf_and_html_exporters_render_for_audit_run() -> None:
    from datetime import UTC, datetime

    from tests.reports.conftest import previous_of
    from toolkit.audit.diff import diff_documents
    from toolkit.reports.exporters import EXPORTERS, RunMeta

    doc = load_sample()
    body = doc.canonical()
    meta = RunMeta(
        RUN_ID,
        datetime(2026, 10, 1, tzinfo=UTC),
        "auditor",
        hashlib.sha256(body).hexdigest(),
        "run-prev",
        diff_documents(previous_of(doc), doc),
    )
    pdf = PdfReader(io.BytesIO(EXPORTERS["pdf"].export(doc, meta)))
    assert pdf.attachments["result.json"] == [body]
    assert pdf.metadata["/keyvigilresultsha256"] == meta.result_sha256
    html = EXPORTERS["html"].export(doc, meta).decode("utf-8")
    assert RUN_ID in html and "Compared with run-prev" in html
