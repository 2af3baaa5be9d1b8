"""Every registered exporter over a hand-built result document; OSCAL and SARIF schema-valid."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import UTC, datetime

import pytest

from tests.conftest import DATA, data
from tests.reports.schema_check import oscal_errors, sarif_errors
from toolkit.audit.result import FindingRecord, FindingWaiver, ResultDocument
from toolkit.reports.exporters import EXPORTERS, RunMeta
from toolkit.reports.findings_csv import neutralise

RUN = RunMeta(
    run_id="run-20261001-0badcafe",
    created_at=datetime(2026, 10, 1, 9, 30, tzinfo=UTC),
    actor="tester",
    result_sha256="0" * 64,
)
OTHER_RUN = RunMeta(
    run_id="run-20261002-12345678",
    created_at=datetime(2026, 10, 2, tzinfo=UTC),
    actor="someone-else",
    result_sha256="1" * 64,
)
SOURCES_SHA256 = {
    "oscal_assessment-results_schema.json": (
        "4f9e277a177adbcca9527612ce450a33dc6096773fa229d413d801d196c61985"
    ),
    "sarif-schema-2.1.0.json": "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e",
}


@pytest.fixture
def doc() -> ResultDocument:
    """The hand-built sample result document."""
    return ResultDocument.from_bytes(data("audit/sample_result.json").read_bytes())


def test_vendored_schemas_are_unchanged() -> None:
    """The schema files are byte-for-byte the published ones named in SOURCES.md."""
    for name, digest in SOURCES_SHA256.items():
        assert hashlib.sha256((DATA / "schemas" / name).read_bytes()).hexdigest() == digest
    assert "oasis-tcs/sarif-spec" in (DATA / "schemas" / "SOURCES.md").read_text()


REPRODUCIBLE = sorted(name for name, e in EXPORTERS.items() if not e.needs_run_facts)
"""Exporters that print no run facts (the reports do, by design: tests/reports/test_pdf.py)."""


def test_only_the_reports_need_run_facts() -> None:
    """The trait, not a hand-kept list, says which outputs depend on the stored run."""
    assert sorted(set(EXPORTERS) - set(REPRODUCIBLE)) == ["html", "pdf"]


@pytest.mark.parametrize("name", REPRODUCIBLE)
def test_every_exporter_is_deterministic_and_ignores_run_facts(
    name: str, doc: ResultDocument
) -> None:
    """Same document -> same bytes, whatever the run id, time or actor (reproducible outputs)."""
    exporter = EXPORTERS[name]
    first = exporter.export(doc, RUN)
    assert isinstance(first, bytes) and first
    assert exporter.export(doc.model_copy(deep=True), OTHER_RUN) == first
    assert exporter.suffix.startswith(".")


def test_json_is_the_canonical_document(doc: ResultDocument) -> None:
    """The JSON output is the document with sorted keys and a trailing newline."""
    out = EXPORTERS["json"].export(doc, RUN)
    assert out == data("audit/sample_result.json").read_bytes()
    assert json.loads(out) == doc.model_dump(by_alias=True)


def test_canonical_form_is_the_contracts_json_dumps(doc: ResultDocument) -> None:
    """orjson's canonical bytes equal json.dumps(sort_keys, indent=2, ensure_ascii=False) + LF."""
    second = doc.findings[1]
    evidence = {**second.evidence, "note": 'caf\u00e9 \u2028 "quoted" \\ tab\t', "ratio": 2.5}
    changed = FindingRecord.model_validate(second.model_dump() | {"evidence": evidence})
    findings = [doc.findings[0], changed]
    doc = doc.model_copy(update={"findings": [*findings, *doc.findings[2:]]})
    expected = (
        json.dumps(doc.model_dump(by_alias=True), sort_keys=True, indent=2, ensure_ascii=False)
        + "\n"
    )
    assert EXPORTERS["json"].export(doc, RUN) == expected.encode("utf-8")


def test_csv_one_row_per_finding(doc: ResultDocument) -> None:
    """Header plus a row per finding, in order, with the controls each rule evidences."""
    rows = list(csv.DictReader(io.StringIO(EXPORTERS["csv"].export(doc, RUN).decode())))
    assert [r["finding_id"] for r in rows] == [f.id for f in doc.findings]
    by_id = {r["finding_id"]: r for r in rows}
    assert by_id["3333333333333333"]["waiver_state"] == "waived"
    assert by_id["4444444444444444"]["waiver_state"] == "expired"
    assert by_id["3333333333333333"]["controls"] == "soc2:CC8.1"


def test_csv_neutralises_formula_cells(doc: ResultDocument) -> None:
    """Cells starting with = + - @ tab or CR cannot run as formulas in a spreadsheet."""
    text = EXPORTERS["csv"].export(doc, RUN).decode()
    rows = {r["finding_id"]: r for r in csv.DictReader(io.StringIO(text))}
    hit = rows["2222222222222222"]
    assert hit["message"].startswith("'=HYPERLINK")
    assert hit["key_name"] == "'+payments"
    assert hit["owner"] == "'@ops"
    assert rows["3333333333333333"]["message"] == "'-not rotated for 120 days"
    assert rows["3333333333333333"]["waiver_reason"] == "'\tmigration in progress"
    for row in rows.values():
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=x", "'\t=x"),
        ("\r=x", "'\r=x"),
        ("plain", "plain"),
        (None, ""),
        (3, "3"),
    ],
)
def test_neutralise(value: object, expected: str) -> None:
    """The neutralising rule on single cells."""
    assert neutralise(value) == expected


def test_sarif_is_schema_valid_with_file_findings(doc: ResultDocument) -> None:
    """Only file findings become results; waived ones carry a suppression; schema-valid."""
    sarif = json.loads(EXPORTERS["sarif"].export(doc, RUN))
    assert sarif_errors(sarif) == []
    results = sarif["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["secret-in-code"]
    location = results[0]["locations"][0]["physicalLocation"]
    assert location == {
        "artifactLocation": {"uri": "src/app/settings.py"},
        "region": {"startLine": 12},
    }
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert results[0]["ruleIndex"] == [r["id"] for r in rules].index("secret-in-code")


def test_sarif_without_file_findings_is_a_valid_empty_run(doc: ResultDocument) -> None:
    """No scan findings: still one valid run, with no results."""
    doc = doc.model_copy(
        update={"findings": [f for f in doc.findings if f.rule_id != "secret-in-code"]}
    )
    sarif = json.loads(EXPORTERS["sarif"].export(doc, RUN))
    assert sarif_errors(sarif) == []
    assert sarif["runs"][0]["results"] == []


def test_sarif_waived_file_finding_is_suppressed(doc: ResultDocument) -> None:
    """A waived file finding stays in SARIF, marked as an accepted external suppression."""
    waiver = FindingWaiver(
        id=9, owner="o", reason="test fixture", expires_at="2027-01-01T00:00:00Z", state="waived"
    )
    first = doc.findings[0].model_copy(update={"waiver": waiver})
    doc = doc.model_copy(update={"findings": [first, *doc.findings[1:]]})
    sarif = json.loads(EXPORTERS["sarif"].export(doc, RUN))
    assert sarif_errors(sarif) == []
    assert sarif["runs"][0]["results"][0]["suppressions"][0]["status"] == "accepted"


def test_oscal_is_schema_valid(doc: ResultDocument) -> None:
    """The OSCAL output validates against the published assessment-results schema."""
    oscal = json.loads(EXPORTERS["oscal"].export(doc, RUN))
    assert oscal_errors(oscal) == []


def test_oscal_findings_per_control_and_inputs_with_hashes(doc: ResultDocument) -> None:
    """One result per framework, one finding per control; inputs carry their SHA-256."""
    ar = json.loads(EXPORTERS["oscal"].export(doc, RUN))["assessment-results"]
    assert [r["props"][0]["value"] for r in ar["results"]] == ["soc2", "gdpr"]
    soc2 = ar["results"][0]
    states = {f["title"].split()[0]: f["target"]["status"] for f in soc2["findings"]}
    assert states["CC6.1"]["state"] == "not-satisfied" and states["CC6.1"]["reason"] == "fail"
    assert states["CC6.4"]["reason"] == "other"  # manual: never claimed satisfied
    gdpr_states = [f["target"]["status"]["state"] for f in ar["results"][1]["findings"]]
    assert gdpr_states == ["satisfied", "not-satisfied"]
    observed = {o["uuid"] for o in soc2["observations"]}
    for finding in soc2["findings"]:
        for related in finding.get("related-observations", []):
            assert related["observation-uuid"] in observed
    hashes = [r["rlinks"][0]["hashes"][0]["value"] for r in ar["back-matter"]["resources"][:-1]]
    assert hashes == [i.sha256 for i in doc.inputs]
    assert ar["back-matter"]["resources"][-1]["props"][0]["value"] == doc.policy_digest


def test_oscal_reads_the_documents_coverage_and_population(doc: ResultDocument) -> None:
    """Each OSCAL finding and observation carries the control's coverage; the observation
    states every rule's population tested, as the report's control matrix does."""
    ar = json.loads(EXPORTERS["oscal"].export(doc, RUN))["assessment-results"]
    soc2 = ar["results"][0]
    control = doc.frameworks[0].controls[0]
    (finding,) = [f for f in soc2["findings"] if f["title"].startswith(f"{control.id} ")]
    assert {"name": "coverage", "value": control.coverage} in [
        {"name": p["name"], "value": p["value"]} for p in finding["props"]
    ]
    uuid = finding["related-observations"][0]["observation-uuid"]
    (obs,) = [o for o in soc2["observations"] if o["uuid"] == uuid]
    for tested in control.tested:
        assert (
            f"- {tested.rule_id}: {tested.summary} (coverage {tested.coverage})"
            in (obs["description"])
        )


def test_oscal_uuids_change_with_content(doc: ResultDocument) -> None:
    """Deterministic uuids are still unique per document: a changed result gets new ones."""
    first = json.loads(EXPORTERS["oscal"].export(doc, RUN))["assessment-results"]["uuid"]
    doc = doc.model_copy(update={"as_of": "2026-10-02T00:00:00Z"})
    second = json.loads(EXPORTERS["oscal"].export(doc, RUN))["assessment-results"]["uuid"]
    assert first != second


def test_schema_checks_do_catch_errors(doc: ResultDocument) -> None:
    """The validators really check: a control id starting with a digit is not an OSCAL token."""
    oscal = json.loads(EXPORTERS["oscal"].export(doc, RUN))
    oscal["assessment-results"]["results"][0]["findings"][0]["target"]["target-id"] = "8.2.6"
    assert oscal_errors(oscal)
    sarif = json.loads(EXPORTERS["sarif"].export(doc, RUN))
    sarif["runs"][0]["results"][0]["level"] = "fatal"
    assert sarif_errors(sarif)
