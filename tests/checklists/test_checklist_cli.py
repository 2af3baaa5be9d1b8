"""``checklist run`` and ``checklist report`` on the audited demo quarter, through the real CLI."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader
from sqlalchemy import create_engine, text

from toolkit.checklists.attestations import evidence_facts
from toolkit.cli import cli
from toolkit.demo.checklists import MAINTENANCE_AS_OF, write_checklist_answers

AS_OF = "2026-10-01T00:00:00Z"


def kv(db: str, *args: str, input: str | None = None) -> Result:
    """Run keyvigil against ``db``."""
    return CliRunner().invoke(cli, [*args, "--db", db], input=input)


def count(db: str, sql: str) -> int:
    """One number from the database."""
    engine = create_engine(db)
    with engine.connect() as connection:
        value = connection.execute(text(sql)).scalar_one()
    engine.dispose()
    return int(value)


def states(db: str, name: str, as_of: str = AS_OF) -> dict[str, str]:
    """Item id -> state, as ``checklist list --json`` reports it."""
    result = kv(db, "checklist", "list", "--json", "--as-of", as_of)
    assert result.exit_code == 0, result.output
    (found,) = [c for c in json.loads(result.stdout) if c["id"] == name]
    return {item["id"]: item["state"] for item in found["items"]}


@pytest.fixture
def answered(demo_db: str, tmp_path: Path) -> str:
    """The demo's two answers files run: maintenance in August, pre-deployment at the audit."""
    pre, maintenance = write_checklist_answers(tmp_path / "answers")
    result = kv(demo_db, "checklist", "run", "regular-maintenance", "--answers", str(maintenance),
                "--as-of", MAINTENANCE_AS_OF)  # fmt: skip
    assert result.exit_code == 0, result.output
    result = kv(demo_db, "checklist", "run", "pre-deployment", "--answers", str(pre),
                "--as-of", AS_OF)  # fmt: skip
    assert result.exit_code == 0, result.output
    return demo_db


def pdf_text(path: Path) -> str:
    """All text of a PDF, whitespace collapsed."""
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))


def test_report_all_shows_holds_fails_attested_and_expired(answered: str, tmp_path: Path) -> None:
    out = tmp_path / "checklists.pdf"
    result = kv(answered, "checklist", "report", "all", "--out", str(out), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    overview = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    for mark in ("✓ Holds", "✗ Fails", "✓ Attested", "! Expired", "? Not yet assessed"):
        assert mark in overview
    assert "Needs attention" in overview
    body = pdf_text(out)
    # the failing automatic item names the finding that causes it
    assert "Different secrets per environment" in body
    assert "shared-across-environments dev-shared-token" in body
    # attested: who, and the evidence file's SHA-256
    sha = evidence_facts(tmp_path / "answers" / "secrets-manager-export.csv", "x").sha256
    assert "Dana Whitfield (Head of Platform)" in body and sha in body.replace(" ", "")
    # expired: the monthly review signed in August ran out on 17 Sep
    assert "ran out on 17 Sep 2026 09:00 UTC" in body
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d", body)  # stamps in words, as the audit report
    assert "Sign-off" in body and "Signature" in body
    assert b"pdfaid:part" in reader.trailer["/Root"]["/Metadata"].get_object().get_data()


def test_report_carries_its_status_and_is_in_the_trail(answered: str, tmp_path: Path) -> None:
    out = tmp_path / "pre.pdf"
    assert kv(answered, "checklist", "report", "pre-deployment", "--out", str(out),
              "--as-of", AS_OF).exit_code == 0  # fmt: skip
    reader = PdfReader(out)
    attached = reader.attachments["checklist-status.json"][0]
    status = json.loads(attached)
    assert [c["id"] for c in status["checklists"]] == ["pre-deployment"]
    digest = hashlib.sha256(attached).hexdigest()
    assert reader.metadata["/keyvigilstatussha256"] == digest
    trail = json.loads(kv(answered, "trail", "show", "--json").stdout)
    written = [e for e in trail if e["action"] == "checklist.report"]
    assert written[-1]["payload"]["pdf_sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    attests = [e for e in trail if e["action"] == "checklist.attest"]
    assert len(attests) == 6
    assert kv(answered, "trail", "verify").exit_code == 0


def test_attestations_expire_by_period_on_the_next_run(answered: str) -> None:
    now = states(answered, "pre-deployment")
    assert now["secrets-in-secret-manager"] == "attested"
    assert now["monitoring-and-alerting-enabled"] == "fails"  # attested as not holding
    # a quarterly attestation is valid 92 days: still attested on day 91, expired on day 92
    assert (
        states(answered, "pre-deployment", "2026-12-31T23:59:59Z")["secrets-in-secret-manager"]
        == "attested"
    )
    later = states(answered, "pre-deployment", "2027-01-01T00:00:00Z")
    assert later["secrets-in-secret-manager"] == "expired"
    assert later["monitoring-and-alerting-enabled"] == "expired"
    maintenance = states(answered, "regular-maintenance")
    assert maintenance["monthly-access-review"] == "expired"
    assert maintenance["annual-security-assessment"] == "attested"


def test_revoking_the_shared_key_and_auditing_again_turns_the_item_to_holds(
    answered: str, tmp_path: Path
) -> None:
    assert states(answered, "pre-deployment")["different-secrets-per-environment"] == "fails"
    result = kv(answered, "keys", "revoke", "dev-shared-token", "--reason",
                "the dev copy of the prod token", "--as-of", "2026-10-01T10:00:00Z")  # fmt: skip
    assert result.exit_code == 0, result.output
    result = kv(answered, "audit", "run", "--as-of", "2026-10-01T12:00:00Z", "--format", "json",
                "--out", str(tmp_path / "run"))  # fmt: skip
    assert result.exit_code == 0, result.output
    after = states(answered, "pre-deployment", "2026-10-01T12:00:00Z")
    assert after["different-secrets-per-environment"] == "holds"


def test_a_missing_answer_names_the_item_and_records_nothing(demo_db: str, tmp_path: Path) -> None:
    answers = tmp_path / "partial.yaml"
    answers.write_text(
        "attested_by: Dana\nanswers:\n  secrets-in-secret-manager:\n"
        "    holds: true\n    note: all in Vault\n",
        encoding="utf-8",
    )
    trail = count(demo_db, "select count(*) from trail")
    result = kv(demo_db, "checklist", "run", "pre-deployment", "--answers", str(answers),
                "--as-of", AS_OF)  # fmt: skip
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"Error: {answers}: answers.access-controls-configured: missing (item "
        "'access-controls-configured' of pre-deployment needs an attestation: no one has "
        "attested this item yet)"
    )
    assert count(demo_db, "select count(*) from attestations") == 0
    assert count(demo_db, "select count(*) from trail") == trail


BAD_ANSWERS = {
    "unknown item": ("answers:\n  no-such-item: {holds: true, note: yes it does}\n",
                     "answers.no-such-item: no such item in pre-deployment"),
    "automatic item": ("answers:\n  rotation-schedule-defined: {holds: true, note: trust me}\n",
                       "judged automatically from evidence"),
    "unknown key": ("answers:\n  secrets-in-secret-manager: {holds: true, note: fine, at: 1}\n",
                    "answers.secrets-in-secret-manager.at: unknown key"),
    "other checklist": ("checklist: post-deployment\nanswers: {}\n",
                        "this file answers 'post-deployment', not 'pre-deployment'"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_ANSWERS))
def test_bad_answers_files_exit_2_naming_the_place(demo_db: str, tmp_path: Path, case: str) -> None:
    body, expected = BAD_ANSWERS[case]
    answers = tmp_path / "answers.yaml"
    answers.write_text(body, encoding="utf-8")
    result = kv(demo_db, "checklist", "run", "pre-deployment", "--answers", str(answers))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.startswith(f"Error: {answers}") and expected in result.output
    assert count(demo_db, "select count(*) from attestations") == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_as_evidence_is_refused_at_once(demo_db: str, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "attested_by: Dana\nanswers:\n  secrets-in-secret-manager:\n"
        "    {holds: true, note: all in Vault, evidence: pipe}\n",
        encoding="utf-8",
    )
    result = kv(demo_db, "checklist", "run", "pre-deployment", "--answers", str(answers))
    assert result.exit_code == 2
    assert "evidence must be a regular file" in result.output
    result = kv(demo_db, "checklist", "run", "pre-deployment", "--answers", str(tmp_path / "pipe"))
    assert result.exit_code == 2
    assert result.output == f"Error: {tmp_path / 'pipe'}: not a regular file\n"


def test_without_a_terminal_or_answers_the_run_says_what_is_needed(demo_db: str) -> None:
    result = kv(demo_db, "checklist", "run", "post-deployment", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "4 item(s) need an attestation (secrets-injected-securely," in result.output
    assert "give --answers FILE" in result.output


def test_on_a_terminal_each_missing_attestation_is_asked_for(
    demo_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("toolkit.cli.checklist._interactive", lambda: True)
    typed = "".join(f"{holds}\nAlex Kim\nchecked {n}\n\n" for n, holds in enumerate("yyny"))
    result = kv(demo_db, "checklist", "run", "post-deployment", "--as-of", AS_OF, input=typed)
    assert result.exit_code == 0, result.output
    now = states(demo_db, "post-deployment")
    assert now["secrets-injected-securely"] == "attested"
    assert now["monitoring-dashboard-configured"] == "fails"
    assert now["no-secrets-in-logs"] == "holds"  # automatic: not asked
    assert count(demo_db, "select count(*) from attestations where attested_by = 'Alex Kim'") == 4


def test_attestations_evidence_manual_controls_in_the_audit_report(
    answered: str, tmp_path: Path
) -> None:
    """Item 4: a manual control shows who attested it, when and with which evidence."""
    result = kv(answered, "audit", "run", "--as-of", "2026-10-01T06:00:00Z", "--frameworks",
                "pci-dss,gdpr", "--format", "json,pdf", "--out", str(tmp_path / "run"))  # fmt: skip
    assert result.exit_code == 0, result.output
    (doc_path,) = (tmp_path / "run").glob("run-*.json")
    doc = json.loads(doc_path.read_text())
    controls = {(fw["id"], c["id"]): c for fw in doc["frameworks"] for c in fw["controls"]}
    distribution = controls[("pci-dss", "3.7.2")]
    assert distribution["status"] == "manual"
    (attested,) = distribution["attestations"]
    sha = evidence_facts(tmp_path / "answers" / "secrets-manager-export.csv", "x").sha256
    assert attested == {
        "checklist": "pre-deployment", "item": "secrets-in-secret-manager", "holds": True,
        "by": "Dana Whitfield (Head of Platform)", "at": "2026-10-01T00:00:00Z",
        "until": "2027-01-01T00:00:00Z", "evidence_sha256": sha,
        "note": "Production and staging secrets are read from AWS Secrets Manager; export "
        "attached.",
    }  # fmt: skip
    assert controls[("pci-dss", "10.7.2")]["attestations"][0]["holds"] is False
    # the annual assessment attested in August is still in force; the expired review is not used
    assert controls[("gdpr", "Art. 32(1)(d)")]["attestations"][0]["by"].startswith("Priya")
    assert "attestations" not in controls[("pci-dss", "12.10.1")]  # nothing attested: absent
    (pdf,) = (tmp_path / "run").glob("run-*.pdf")
    text = pdf_text(pdf)
    assert "Attested by Dana Whitfield (Head of Platform) on 1 Oct 2026" in text
    assert "Stated not to hold by Sam Okafor" in text


def test_attest_and_list_on_both_databases(db_url: str, tmp_path: Path) -> None:
    """An empty database (SQLite and PostgreSQL): the attested items are asked for and kept."""
    _, maintenance = write_checklist_answers(tmp_path / "answers")
    result = kv(db_url, "checklist", "run", "regular-maintenance", "--answers", str(maintenance),
                "--as-of", MAINTENANCE_AS_OF, "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["attested_now"] == [
        "monthly-access-review", "annual-security-assessment", "training-and-awareness"
    ]  # fmt: skip
    now = states(db_url, "regular-maintenance", "2026-09-01T00:00:00Z")
    assert now == {
        "monthly-access-review": "attested",
        "quarterly-key-rotation-audit": "fails",  # no audit run at all
        "annual-security-assessment": "attested",
        "procedure-updates-from-incidents": "holds",  # no incident closed: nothing owed
        "training-and-awareness": "attested",
    }
    again = kv(db_url, "checklist", "run", "regular-maintenance", "--answers", str(maintenance),
               "--as-of", "2026-09-01T00:00:00Z", "--json")  # fmt: skip
    assert json.loads(again.stdout)["attested_now"] == []  # still valid: not asked again


def test_evidence_older_than_the_item_period_expires(demo_db: str) -> None:
    """The audit of 1 Oct: a month later the monthly log-scan item needs fresh evidence."""
    month = states(demo_db, "post-deployment", "2026-11-01T00:00:00Z")
    assert month["no-secrets-in-logs"] == "expired"
    assert month["access-audit-trail-enabled"] == "fails"  # logs end 30 Sep
    assert (
        states(demo_db, "post-deployment", "2026-10-31T23:59:59Z")["no-secrets-in-logs"] == "holds"
    )
    quarter = states(demo_db, "pre-deployment", "2027-01-01T00:00:00Z")
    assert quarter["different-secrets-per-environment"] == "expired"
    assert (
        states(demo_db, "pre-deployment", "2026-12-31T00:00:00Z")[
            "different-secrets-per-environment"
        ]
        == "fails"
    )
    result = kv(demo_db, "checklist", "list", "--json", "--as-of", "2027-01-01T00:00:00Z")
    (pre,) = [c for c in json.loads(result.stdout) if c["id"] == "pre-deployment"]
    (item,) = [i for i in pre["items"] if i["id"] == "different-secrets-per-environment"]
    assert item["reason"].startswith("the evidence, taken 2026-10-01T00:00:00Z, is older than")
    assert item["findings"]  # what it showed is kept
