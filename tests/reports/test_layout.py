"""The laid-out report pages: no text past a margin or out of its cell, no needlessly empty page."""

from __future__ import annotations

import pytest

from tests.reports.conftest import HISTORY, RUN_ID, load_sample, previous_of
from tests.reports.docgen import build_document
from tests.reports.layout_check import overflowing, sparse
from toolkit.reports.audit_report import render_audit_report
from toolkit.reports.changes import change_since
from toolkit.reports.context import ReportOptions, RunFacts
from toolkit.reports.pdf import PageLayout, layout_pages
from toolkit.reports.render import builtin_templates


def layout_of(audience: str, paper: str = "a4") -> list[PageLayout]:
    """The sample document's report laid out for ``audience``."""
    doc = load_sample()
    html = render_audit_report(
        doc,
        RunFacts(RUN_ID),
        ReportOptions(audience=audience, paper=paper),
        pdf=False,
        change=change_since(doc, previous_of(doc), "run-prev"),
        history=HISTORY,
        strict=True,
    ).html
    return layout_pages(html, base_url=str(builtin_templates()))


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("audience", ["full", "executive"])
def test_no_text_past_a_margin_and_no_sparse_page(audience: str, paper: str) -> None:
    pages = layout_of(audience, paper)
    assert overflowing(pages) == []
    assert sparse(pages) == []


def test_executive_report_is_two_to_four_pages() -> None:
    assert 2 <= len(layout_of("executive")) <= 4


def _page(body: str) -> str:
    """A one-page document with the report's own styles."""
    css = (builtin_templates() / "report.css").read_text(encoding="utf-8")
    return f"<html><head><style>{css}</style></head><body>{body}</body></html>"


def test_the_margin_check_sees_text_past_the_edge() -> None:
    """A check that could never fail proves nothing: an unbreakable cell is caught."""
    wide = "x" * 400
    cell = f'<td style="white-space: nowrap">{wide}</td>'
    table = f'<table class="grid"><tr>{cell}<td>b</td></tr></table>'
    pages = layout_pages(_page(table), base_url=str(builtin_templates()))
    assert overflowing(pages) == [(1, wide)]


def test_the_fill_check_sees_pages_left_mostly_empty_inside_a_section() -> None:
    broken = '<p style="break-before: page">more of a</p>'
    body = f'<section id="a"><p>a</p>{broken}{broken}</section><section id="b"><p>b</p></section>'
    pages = layout_pages(_page(body), base_url=str(builtin_templates()))
    assert [p.sections for p in pages] == [("a",), (), ("b",)]
    assert [number for number, _ in sparse(pages)] == [1]  # page 2 is followed by b's start


def test_executive_report_stays_short_on_a_large_run() -> None:
    """Every list of the executive report is capped: a 2,000-finding run still fits 4 pages."""
    doc = build_document(findings=2000, keys=400, seed=11)
    html = render_audit_report(
        doc, RunFacts(RUN_ID), ReportOptions(audience="executive"), pdf=False, strict=True
    ).html
    pages = layout_pages(html, base_url=str(builtin_templates()))
    assert 2 <= len(pages) <= 4
    assert overflowing(pages) == [] and sparse(pages) == []
