"""The report's management responses and sign-off: next run's PDF (pypdf text) and the HTML."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner, Result
from pypdf import PdfReader

from tests.audit.fixture import write_fixture
from tests.reports.conftest import RUN_ID, load_sample
from toolkit.cli import cli
from toolkit.reports.audit_report import render_audit_report
from toolkit.reports.context import ReportOptions, RunFacts


def kv(runner: CliRunner, db: str, *args: str) -> Result:
    """Run keyvigil on database ``db``; it must succeed."""
    result = runner.invoke(cli, [*args, "--db", db], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result


def pages(path: Path) -> list[str]:
    """Each page's text, whitespace collapsed (table cells wrap)."""
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(path).pages]


def test_response_shows_in_the_next_runs_report_with_sign_off(
    runner: CliRunner, sqlite_url: str, tmp_path: Path
) -> None:
    """Respond after Q3; Q4's full report lists it overdue; both audiences end with a sign-off."""
    inventory, logs = write_fixture(tmp_path / "in")
    run = ["audit", "run", "--inventory", str(inventory), "--logs", str(logs), "--format", "json"]
    kv(runner, sqlite_url, *run, "--as-of", "2026-10-01", "--out", str(tmp_path / "q3"))
    listed = json.loads(kv(runner, sqlite_url, "finding", "list", "--json").stdout)
    (target,) = [f for f in listed if f["rule_id"] == "rotation-overdue"]
    kv(
        runner, sqlite_url, "finding", "respond", target["id"], "--owner", "alice",
        "--due", "2026-10-20", "--status", "in-progress", "--note", "Rotation booked with ops",
    )  # fmt: skip
    kv(runner, sqlite_url, *run, "--as-of", "2026-11-01", "--out", str(tmp_path / "q4"))
    full = tmp_path / "full.pdf"
    kv(runner, sqlite_url, "audit", "report", "latest", "--out", str(full), "--reviewed-by", "Dana")
    text = pages(full)
    (section,) = [p for p in text if "Management responses" in p and target["id"] in p]
    assert f"k-prod-old rotation-overdue · {target['id']}" in section
    row = section[section.index(target["id"]) :]
    assert "alice" in row and "20 Oct 2026" in row
    assert "Rotation booked with ops" in row and "in progress" in row
    assert re.search(r"[1-9]\d* overdue", section)
    assert "OVERDUE" in row[: row.index("Rotation booked")]
    last = text[-1]
    assert "Sign-off" in last and "Prepared by tester" in last and "Reviewed by Dana" in last
    assert f"{full}: genuine" in kv(runner, sqlite_url, "report", "verify", str(full)).stdout

    executive = tmp_path / "executive.pdf"
    kv(
        runner, sqlite_url, "audit", "report", "latest", "--out", str(executive),
        "--audience", "executive", "--prepared-by", "Pat Preparer",
    )  # fmt: skip
    last = pages(executive)[-1]
    assert "Sign-off" in last and "Prepared by Pat Preparer" in last
    assert "Reviewed by Signature" not in last and re.search(r"Reviewed by\s*$", last) is None


def test_overdue_rows_come_first_and_defaults_are_labelled() -> None:
    """Sample document: overdue first; default owner and due date are said to be defaults."""
    doc = load_sample()
    report = render_audit_report(
        doc, RunFacts(RUN_ID, "2026-10-01T06:12:00Z", "auditor"), ReportOptions(), pdf=False,
        strict=True,
    )  # fmt: skip
    html = report.html
    section = html[html.index('id="responses"') : html.index('id="waivers"')]
    rows = section.split("<tr")[2:]
    overdue = [i for i, row in enumerate(rows) if "is-overdue" in row]
    assert overdue == list(range(len(overdue))) and 0 < len(overdue) < len(rows)
    assert len(overdue) == sum(1 for f in doc.findings if f.response.overdue)
    assert "key owner" in section and "by policy" in section and "agreed" in section
    assert "critical 7 days" in section and "the organisation's choice" in section
    assert "remediation_days.high" in html and "30 (organisation&#39;s choice)" in html
    assert 'id="signoff"' in html and html.index('id="signoff"') > html.index('id="appendix-keys"')
