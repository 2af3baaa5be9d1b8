"""The report's HTML: sections in order, escaping, template overrides, caps (no PDF: fast)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.reports.conftest import HISTORY, RUN_ID, load_sample, previous_of
from tests.reports.docgen import build_document
from toolkit.audit.result import LogSource, ResultDocument
from toolkit.errors import ReportError
from toolkit.reports.audit_report import render_audit_report
from toolkit.reports.changes import change_since
from toolkit.reports.context import ReportContext, ReportOptions, RunFacts, documented_fields

FULL_ORDER = [
    "cover",
    "summary",
    "changes",
    "charts",
    "matrix-soc2",
    "matrix-pci-dss",
    "matrix-gdpr",
    "matrix-hipaa",
    "findings",
    "responses",
    "waivers",
    "methodology",
    "appendix-keys",
    "signoff",
]


def html_of(doc: ResultDocument, **options: Any) -> str:
    """Render ``doc`` to HTML only, under StrictUndefined."""
    return render_audit_report(
        doc,
        RunFacts(RUN_ID),
        ReportOptions(**options),
        pdf=False,
        change=change_since(doc, previous_of(doc), "run-prev"),
        history=HISTORY,
        strict=True,
    ).html


def section_ids(html: str) -> list[str]:
    """The ids of the top-level sections, in document order."""
    return re.findall(r'<section class="[^"]*" id="([^"]+)"', html)


def test_full_report_has_every_section_in_order(sample_doc: ResultDocument) -> None:
    assert section_ids(html_of(sample_doc)) == FULL_ORDER


def test_executive_report_has_no_control_matrix(sample_doc: ResultDocument) -> None:
    assert section_ids(html_of(sample_doc, audience="executive")) == [
        "cover",
        "summary",
        "changes",
        "worst",
        "overdue",
        "trend",
        "not-evaluated",
        "signoff",
    ]


def test_key_names_are_escaped_not_executed(sample_doc: ResultDocument) -> None:
    html = html_of(sample_doc)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{7*7}}" in html


def test_cover_carries_run_id_and_every_input_digest(sample_doc: ResultDocument) -> None:
    html = html_of(sample_doc)
    cover = html.split('id="summary"')[0]
    assert RUN_ID in cover
    for item in sample_doc.inputs:
        assert item.sha256 in cover


def test_no_secret_or_full_fingerprint_field_is_printed(sample_doc: ResultDocument) -> None:
    first = sample_doc.keys[0].model_copy(update={"fingerprint_prefix": "abcdef0123456789"})
    html = html_of(sample_doc.model_copy(update={"keys": [first, *sample_doc.keys[1:]]}))
    assert "abcdef01" in html and "abcdef0123456789" not in html


def test_user_template_overrides_a_block_and_adds_a_logo(
    sample_doc: ResultDocument, tmp_path: Path
) -> None:
    (tmp_path / "audit.html").write_text(
        '{% extends "default:audit.html" %}{% block cover %}<section class="cover" id="cover">'
        "<p>Acme internal</p>{{ super() }}</section>{% endblock %}",
        encoding="utf-8",
    )
    (tmp_path / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8"
    )
    html = html_of(sample_doc, templates=str(tmp_path))
    assert "Acme internal" in html
    assert (tmp_path / "logo.svg").resolve().as_uri() in html
    assert "Where things stand" in html


def test_large_run_shows_each_rules_worst_fifty() -> None:
    doc = build_document(findings=10_000, keys=2_500, seed=3)
    html = html_of(doc)
    for rule_html in html.split('<div class="rule"')[1:]:
        assert rule_html.count('<tr class="finding') <= 50
    assert "more findings of this rule, listed in the attachments" in html


def test_small_run_shows_every_finding(sample_doc: ResultDocument) -> None:
    assert html_of(sample_doc).count('<tr class="finding') == len(sample_doc.findings)


def test_summary_lists_at_most_five_actions_most_severe_first(sample_doc: ResultDocument) -> None:
    html = html_of(sample_doc)
    actions = re.findall(
        r'<li><span class="badge sev sev-(\w+)">', html.split('class="actions"')[1]
    )
    order = ["critical", "high", "medium", "low", "info"]
    assert 1 <= len(actions) <= 5
    assert actions == sorted(actions, key=order.index)


def test_change_counts_new_resolved_persisting(sample_doc: ResultDocument) -> None:
    change = change_since(sample_doc, previous_of(sample_doc), "run-prev")
    assert (change.new, change.resolved, change.persisting) == (5, 1, 35)


def test_every_context_field_is_documented() -> None:
    assert all(documented_fields(ReportContext).values())


@pytest.mark.parametrize("option", [{"audience": "board"}, {"paper": "a3"}])
def test_bad_options_are_report_errors(sample_doc: ResultDocument, option: dict[str, str]) -> None:
    with pytest.raises(ReportError):
        html_of(sample_doc, **option)


def test_missing_templates_folder_is_an_error(sample_doc: ResultDocument, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="not a folder"):
        html_of(sample_doc, templates=str(tmp_path / "nope"))


def test_run_without_logs_says_so_instead_of_charting() -> None:
    doc = load_sample().model_copy(update={"logs": None})
    assert "No access logs were given" in html_of(doc)


def test_log_sources_given_as_records_print_file_names() -> None:
    doc = load_sample()
    assert doc.logs is not None
    source = LogSource(path="/srv/in/api.jsonl.gz", format="house/jsonl", events=5, skipped=0)
    logs = doc.logs.model_copy(update={"sources": [source]})
    html = html_of(doc.model_copy(update={"logs": logs}))
    assert "api.jsonl.gz (house/jsonl, 5 events)" in html and "/srv/in" not in html


def test_evidence_reads_as_words_in_one_date_format() -> None:
    """Facts are labelled rows: dates in the report's format, yes/no for booleans, no None."""
    from toolkit.reports.evidence import dates_in_text, fact_rows, fact_text

    hits = [{"message": f"burst {n}", "count": n} for n in range(8)]
    assert fact_text(hits) == "burst 0, burst 1, burst 2, burst 3, burst 4 and 3 more"
    assert fact_text({"b": 2, "a_b": [1, 2]}) == "A b: 1 and 2; B: 2"
    assert fact_text("2026-09-30T12:00:00Z") == "30 Sep 2026 12:00 UTC"
    assert fact_text("2026-09-26T02:04:39.974000Z") == "26 Sep 2026 02:04 UTC"
    assert fact_text(True) == "yes" and fact_text(False) == "no"
    assert fact_rows({"count": 1200, "first": None, "due_at": "2026-08-02T00:00:00Z"}) == [
        ("Count", "1\u202f200"),
        ("Due at", "2 Aug 2026 00:00 UTC"),
    ]
    assert fact_text(0.37777777777) == "0.3778"
    assert dates_in_text("24 failed (2026-09-28 14:59:35 .. 15:00:21 UTC), since 2026-09-01") == (
        "24 failed (28 Sep 2026 14:59:35 .. 15:00:21 UTC), since 1 Sep 2026"
    )
    stamps = "stated on 2026-10-01T00:00:00Z; logs end 2026-09-30T23:56:11.562000Z."
    assert (
        dates_in_text(stamps) == "stated on 1 Oct 2026 00:00 UTC; logs end 30 Sep 2026 23:56 UTC."
    )
    assert dates_in_text("at 2026-10-01T08:41:00+02:00") == "at 1 Oct 2026 06:41 UTC"
    assert dates_in_text("run-20261001-47277735, 2026-13-01") == "run-20261001-47277735, 2026-13-01"


def test_a_traced_finding_names_its_places_once() -> None:
    """The trace says where the first events are; the rule's own list of places (the
    unattributed-events check's examples) is not repeated beside it, though kept untraced."""
    from toolkit.audit.result import SourceLocation, TraceRecord
    from toolkit.reports.evidence import fact_rows

    evidence = {"events": 37, "examples": ["api.jsonl:12", "api.jsonl:15"], "source_ips": 1}
    trace = TraceRecord(
        countries=[],
        countries_total=0,
        events=37,
        first_event="2026-08-12T12:00:00Z",
        last_event="2026-09-01T00:00:00Z",
        locations=[SourceLocation(path="api.jsonl", line=n, record=None) for n in (12, 15)],
        request_ids=[],
        source_ips=["34.201.200.8"],
        source_ips_total=1,
    )
    assert fact_rows(evidence, trace) == []
    assert ("Examples", "api.jsonl:12 and api.jsonl:15") in fact_rows(evidence)


def _appendix(html: str) -> str:
    """The key appendix's HTML (up to the sign-off)."""
    return html.split('id="appendix-keys"')[1].split('id="signoff"')[0]


def test_appendix_of_a_large_inventory_lists_the_keys_with_findings(
    sample_doc: ResultDocument,
) -> None:
    """Past the cap only keys with findings are listed (the first ones past it too), and the
    text says how many are left out and where every key is."""
    with_findings = [k for k in sample_doc.keys if k.finding_count]
    without = [k for k in sample_doc.keys if not k.finding_count]
    assert with_findings and without
    cap = len(sample_doc.keys) - 1
    appendix = _appendix(html_of(sample_doc, key_appendix=cap))
    assert "Keys with findings" in appendix and "Every key audited" not in appendix
    assert all(f">{k.key_id}" in appendix for k in with_findings)
    assert not any(f">{k.key_id}<" in appendix for k in without)
    left_out = len(without)
    assert f"the {len(with_findings)} keys with findings" in appendix
    assert f"the other {left_out} are in the attached" in appendix
    appendix = _appendix(html_of(sample_doc, key_appendix=2))
    assert f"the first 2 of the {len(with_findings)} keys with findings" in appendix
    assert f"the other {len(sample_doc.keys) - 2} are in the attached" in appendix
    everything = _appendix(html_of(sample_doc, key_appendix=len(sample_doc.keys)))
    assert "Every key audited" in everything
    assert all(f">{k.key_id}" in everything for k in sample_doc.keys)
