"""Every number on the summary page reconciles with the result.json attached to the same PDF."""

from __future__ import annotations

import pytest

from tests.reports.conftest import HISTORY, RUN_ID, load_sample, previous_of
from tests.reports.reconcile import attached_result, expected_summary, read_summary
from toolkit.audit.result import ResultDocument
from toolkit.reports.audit_report import RenderedReport, render_audit_report
from toolkit.reports.changes import change_since
from toolkit.reports.context import ReportOptions, RunFacts


def check_consistent(doc: ResultDocument) -> None:
    """The document's own summary block agrees with its findings and controls."""
    counted = expected_summary(doc, None)
    assert counted.by_severity == {
        s: doc.summary.by_severity.get(s, 0) for s in counted.by_severity
    }
    assert (counted.open, counted.waived) == (doc.summary.open, doc.summary.waived)
    assert counted.expired_cover == doc.summary.expired_waivers
    assert counted.overdue == doc.summary.overdue
    for framework, (fails, holds, manual, unknown) in counted.posture.items():
        controls = doc.summary.controls[framework]
        assert (fails, holds) == (controls.get("fails", 0), controls.get("holds", 0))
        assert (manual, unknown) == (controls.get("manual", 0), controls.get("not_evaluated", 0))


@pytest.fixture(scope="module")
def executive() -> RenderedReport:
    """The sample's executive PDF."""
    doc = load_sample()
    return render_audit_report(
        doc,
        RunFacts(RUN_ID),
        ReportOptions(audience="executive"),
        change=change_since(doc, previous_of(doc), "run-prev"),
        history=HISTORY,
    )


@pytest.mark.parametrize("audience", ["full", "executive"])
def test_summary_numbers_reconcile_with_the_attached_result(
    audience: str, sample_report: RenderedReport, executive: RenderedReport
) -> None:
    pdf = (sample_report if audience == "full" else executive).pdf
    assert pdf is not None
    doc = attached_result(pdf)
    check_consistent(doc)
    printed = read_summary(pdf)
    assert printed == expected_summary(doc, previous_of(load_sample()))
    assert printed.waived > 0 and printed.overdue > 0 and printed.change is not None


def test_a_wrong_number_does_not_reconcile(sample_report: RenderedReport) -> None:
    """The check can fail: one more critical finding in the document than on the page."""
    assert sample_report.pdf is not None
    doc = attached_result(sample_report.pdf)
    extra = doc.findings[0].model_copy(update={"id": "extra", "severity": "critical"})
    changed = doc.model_copy(update={"findings": [*doc.findings, extra]})
    assert read_summary(sample_report.pdf) != expected_summary(changed, previous_of(load_sample()))
