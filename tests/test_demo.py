"""``keyvigil demo`` runs the whole tour on bundled data and leaves every promised artefact."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from toolkit.cli import cli
from toolkit.demo.incident import typed


@pytest.fixture(scope="module")
def tour(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Run the demo once (it is the slowest test: a real quarter of data)."""
    out = tmp_path_factory.mktemp("demo")
    team_db = f"sqlite:///{_team_db(out)}"  # what a user's environment may point at
    result = CliRunner(env={"KEYVIGIL_DB": team_db, "KEYVIGIL_ACTOR": "demo"}).invoke(
        cli, ["demo", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output[-3000:]
    return out, result.output


def _team_db(out: Path) -> Path:
    """The database KEYVIGIL_DB names during the tour: the demo must leave it alone."""
    return out.with_name(out.name + "-team.db")


def test_demo_ignores_keyvigil_db(tour: tuple[Path, str]) -> None:
    """KEYVIGIL_DB names a team database; the demo writes only its own, under --out."""
    out, _ = tour
    assert not _team_db(out).exists()
    assert (out / "keyvigil.db").is_file()


def test_demo_prints_where_the_database_is(tour: tuple[Path, str]) -> None:
    out, output = tour
    assert f"database:  sqlite:///{out / 'keyvigil.db'}" in output
    assert "$ keyvigil inventory import" in output and "$ keyvigil inventory list" in output


def test_demo_alerts_fire_in_every_tier(tour: tuple[Path, str]) -> None:
    _, output = tour
    for tier in ("IMMEDIATE", "DAILY", "WEEKLY"):
        match = re.search(rf"^{tier} \(\S+\): (\d+) alert", output, re.MULTILINE)
        assert match and int(match.group(1)) >= 1, tier


def _result(out: Path) -> dict:
    """The second demo run's result document."""
    (result,) = [p for p in (out / "run-2").glob("run-*.json") if ".oscal" not in p.name]
    return json.loads(result.read_text())


def test_demo_audit_fails_controls_in_every_framework(tour: tuple[Path, str]) -> None:
    """Every framework fails somewhere; nothing holds on the scan of three folders."""
    out, _ = tour
    doc = _result(out)
    controls = doc["summary"]["controls"]
    assert set(controls) == {"soc2", "pci-dss", "gdpr", "hipaa"}
    for framework, counts in controls.items():
        assert counts["fails"] >= 1, framework
    for framework in doc["frameworks"]:
        for control in framework["controls"]:
            scanned = any(t["unit"] == "folders" for t in control["tested"])
            assert not (scanned and control["status"] == "holds"), control["id"]
    for suffix in (".csv", ".sarif", ".oscal.json", ".pdf", ".html"):
        assert list((out / "run-2").glob(f"run-*{suffix}")), suffix


def test_demo_writes_verified_reports(tour: tuple[Path, str]) -> None:
    out, output = tour
    full = PdfReader(out / "audit-report.pdf")
    executive = PdfReader(out / "audit-executive.pdf")
    assert len(executive.pages) < len(full.pages)
    assert "genuine" in output
    assert re.search(r"trail intact: \d+ entries", output)


def test_demo_diff_shows_the_fixed_key_resolved(tour: tuple[Path, str]) -> None:
    _, output = tour
    diff = output[output.index("$ keyvigil audit diff") :]
    assert re.search(r": \d+ new, 1 resolved, \d+ persisting", diff)
    assert "missing-metadata" in diff[: diff.index("\n== ")]


def test_demo_oscal_and_sarif_validate(tour: tuple[Path, str]) -> None:
    from tests.reports.schema_check import oscal_errors, sarif_errors

    out, _ = tour
    (oscal,) = (out / "run-2").glob("run-*.oscal.json")
    (sarif,) = (out / "run-2").glob("run-*.sarif")
    assert oscal_errors(json.loads(oscal.read_text())) == []
    assert sarif_errors(json.loads(sarif.read_text())) == []


def test_demo_ends_with_the_checklist_report(tour: tuple[Path, str]) -> None:
    """All three checklists, with items that hold, fail, are attested and have expired."""
    out, output = tour
    assert "$ keyvigil checklist run pre-deployment --answers" in output
    assert f"checklist: {out / 'checklists.pdf'}" in output
    reader = PdfReader(out / "checklists.pdf")
    overview = reader.pages[0].extract_text()
    for title in ("Pre-deployment checklist", "Post-deployment checklist", "Regular maintenance"):
        assert title in overview
    status = json.loads(reader.attachments["checklist-status.json"][0])
    states = {i["state"] for c in status["checklists"] for i in c["items"]}
    assert {"holds", "fails", "attested", "expired"} <= states


def test_demo_scan_is_the_real_scanner_and_feeds_the_audit(tour: tuple[Path, str]) -> None:
    """The tour scans the service tree it wrote; the audit's scan rules are evaluated."""
    out, output = tour
    assert "$ keyvigil scan " in output
    results = json.loads((out / "inputs" / "scan" / "demo-scan-results.json").read_text())
    assert "betterleaks" in results["tool"]
    assert results["scanned"]["files"] > 0 and results["scanned"]["log_files"] > 0
    (result,) = [p for p in (out / "run-2").glob("run-*.json") if ".oscal" not in p.name]
    rules = json.loads(result.read_text())["rules"]
    assert {r["status"] for r in rules if "scan" in r["needs"]} == {"evaluated"}


def test_demo_works_a_leaked_key_to_its_incident_report(tour: tuple[Path, str]) -> None:
    """The tour opens a leakage incident, runs it from its answers file and writes the PDF."""
    out, output = tour
    assert "$ keyvigil incident open key-leakage --key prod-gateway-v1" in output
    assert "every step is recorded (44 step(s)" in output
    pdf = PdfReader(out / "incident-report.pdf")
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    assert "INC-2026-0001" in text and "Misuse suspected: 1 new source address" in text
    assert "misuse found - hand over to key-compromise" in text
    assert "incident.json" in pdf.attachments
    key_file = out / "inputs" / "incident" / "replacement.key"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    value = key_file.read_text().strip().encode()
    assert value not in (out / "keyvigil.db").read_bytes()
    assert value not in (out / "incident-report.pdf").read_bytes()


REPORTS = {"full": "audit-report.pdf", "executive": "audit-executive.pdf"}


@pytest.mark.parametrize("audience", list(REPORTS))
def test_demo_summary_reconciles_with_the_attached_result(
    tour: tuple[Path, str], audience: str
) -> None:
    """Every summary number of the demo's reports against result.json (and the first run's)."""
    from tests.reports.reconcile import attached_result, expected_summary, read_summary
    from toolkit.audit.result import ResultDocument

    out, _ = tour
    pdf = (out / REPORTS[audience]).read_bytes()
    (first,) = (out / "run-1").glob("run-*.json")
    previous = ResultDocument.from_bytes(first.read_bytes())
    printed = read_summary(pdf)
    assert printed == expected_summary(attached_result(pdf), previous)
    assert printed.change == (0, 1, printed.findings)  # the owner fix between the two runs


@pytest.mark.parametrize("audience", list(REPORTS))
def test_demo_reports_keep_the_margins_and_fill_their_pages(
    tour: tuple[Path, str], audience: str
) -> None:
    """The demo's reports laid out: no text past a margin, no needlessly empty page."""
    from tests.reports.layout_check import overflowing, sparse
    from toolkit.reports.context import ReportOptions
    from toolkit.reports.pdf import layout_pages
    from toolkit.reports.render import builtin_templates
    from toolkit.reports.runs import render_stored
    from toolkit.store import open_store

    out, _ = tour
    store = open_store(f"sqlite:///{out / 'keyvigil.db'}")
    with store.session() as session:
        report = render_stored(session, "latest", ReportOptions(audience=audience), pdf=False)
    pages = layout_pages(report.html, base_url=str(builtin_templates()))
    assert overflowing(pages) == []
    assert sparse(pages) == []
    if audience == "executive":
        assert 2 <= len(pages) <= 4
        assert len(PdfReader(out / REPORTS[audience]).pages) == len(pages)


WORDS = re.compile(r"(?i:\bseed)|`|\bTrue\b|\bFalse\b|\b\d{4}-\d\d-\d\d\b")
"""Words no reader of a report should meet: the tool's internal "seed", raw backticks,
Python's True/False, and ISO dates (the reports' one date format reads '1 Oct 2026')."""


@pytest.mark.parametrize("name", ["audit-report.pdf", "audit-executive.pdf"])
def test_demo_reports_speak_the_customers_words(tour: tuple[Path, str], name: str) -> None:
    """The rendered text holds no "seed", no backtick, no True/False, no ISO date."""
    out, _ = tour
    text = "\n".join(page.extract_text() for page in PdfReader(out / name).pages)
    found = sorted({m.group(0) for m in WORDS.finditer(text)})
    assert found == [], [text[max(m.start() - 60, 0) : m.end() + 20] for m in WORDS.finditer(text)]


POLICY_KEY = re.compile(r"\b[a-z_]+(?:\.(?:[a-z_]+|<name>))+\b|\b[a-z]+_[a-z_]+\b")


def test_control_notes_cite_policy_keys_as_the_policy_table_names_them(
    tour: tuple[Path, str],
) -> None:
    """A policy key named in a control's notes is a row of the report's policy table."""
    from toolkit.reports.summary import flatten_policy

    out, _ = tour
    doc = _result(out)
    rows = {name for name, _value in flatten_policy(doc["policy"])}
    patterns = [re.compile(re.escape(row).replace("prod", "[^.]+")) for row in rows]
    cited = set()
    for framework in doc["frameworks"]:
        for control in framework["controls"]:
            notes = [control["organisation_choice"] or ""]
            notes += [g["policy_key"] for g in control["guardrails"]]
            cited |= {m.group(0) for note in notes for m in POLICY_KEY.finditer(note)}
    assert cited, "the demo's notes name policy keys"
    for key in cited:
        concrete = key.replace("<name>", "prod")
        assert concrete in rows or any(p.fullmatch(concrete) for p in patterns), key


INCIDENT_WORDS = re.compile(r"(?i:\bseed)|`|\bTrue\b|\bFalse\b")
"""The incident report quotes its responders' own dates, so only the words are checked."""


def test_demo_incident_report_speaks_the_customers_words(tour: tuple[Path, str]) -> None:
    """Playbook citations name the organisation's policy; answers read yes/no, not True/False."""
    out, _ = tour
    text = "\n".join(p.extract_text() for p in PdfReader(out / "incident-report.pdf").pages)
    found = [text[max(m.start() - 60, 0) : m.end() + 20] for m in INCIDENT_WORDS.finditer(text)]
    assert found == []
    assert "organisation's policy: 'Revoke leaked key" in text.replace("\n", " ")


def test_incident_answers_name_the_scanned_folder_as_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside the working folder the answer is relative (demo-out/...), outside it absolute."""
    monkeypatch.chdir(tmp_path)
    assert typed(tmp_path / "demo-out" / "inputs" / "service") == "demo-out/inputs/service"
    outside = tmp_path.parent / "elsewhere" / "repo"
    assert typed(outside) == outside.as_posix()
