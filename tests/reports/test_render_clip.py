"""Over-long names, owners and ids are cut visibly in reports, never printed whole."""

from __future__ import annotations

import json

from tests.reports.conftest import CREATED, RUN_ID, load_sample
from toolkit.audit.result import ResultDocument
from toolkit.reports.audit_report import render_audit_report
from toolkit.reports.context import ReportOptions, RunFacts
from toolkit.reports.render import clip


def test_clip_marks_what_it_left_out() -> None:
    """Short text is kept; long text ends with how many characters were cut."""
    assert clip("payments api") == "payments api"
    assert clip(None) == ""
    assert clip("x" * 150) == "x" * 100 + "… [+50 characters]"
    assert clip("y" * 30, 10) == "y" * 10 + "… [+20 characters]"


def test_long_key_fields_are_clipped_in_the_report() -> None:
    """A 2048-character name and owner (the import limit) appear cut, with the mark."""
    data = json.loads(load_sample().canonical())
    name, owner = "N" * 2048, "O" * 2048
    for finding in data["findings"]:
        if finding.get("key"):
            finding["key"]["name"], finding["key"]["owner"] = name, owner
    for key in data["keys"]:
        key["name"], key["owner"] = name, owner
    doc = ResultDocument.model_validate(data)
    report = render_audit_report(
        doc,
        RunFacts(RUN_ID, "2026-10-01T06:12:00Z", "auditor"),
        ReportOptions(),
        pdf=False,
        strict=True,
        when=CREATED,
    )
    assert name not in report.html and owner not in report.html
    assert "N" * 100 + "… [+1948 characters]" in report.html
    assert "O" * 100 + "… [+1948 characters]" in report.html
