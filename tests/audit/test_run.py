"""``keyvigil audit run/list/show/diff`` end to end on the fixture, through the real CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.audit.fixture import write_fixture
from tests.reports.schema_check import oscal_errors, sarif_errors
from toolkit.cli import cli
from toolkit.cli.output import dumps

AS_OF = "2026-10-01T00:00:00Z"


def invoke(runner: CliRunner, *args: str) -> Result:
    """Run keyvigil with these arguments."""
    return runner.invoke(cli, list(args), catch_exceptions=False)


def audit(runner: CliRunner, folder: Path, out: Path, *extra: str) -> Result:
    """``audit run`` over the fixture in ``folder``, writing all four formats to ``out``."""
    inventory, logs = folder / "keys.csv", folder / "access.jsonl"
    args = ["audit", "run", "--inventory", str(inventory), "--logs", str(logs), "--as-of", AS_OF]
    return invoke(runner, *args, "--out", str(out), "--format", "json,csv,sarif,oscal", *extra)


def json_path(out: Path) -> Path:
    """The result JSON written into ``out`` (not the OSCAL file)."""
    (path,) = [p for p in out.glob("*.json") if not p.name.endswith(".oscal.json")]
    return path


def document(out: Path) -> dict:
    """The result document written into ``out``."""
    return json.loads(json_path(out).read_text(encoding="utf-8"))


@pytest.fixture
def fixture_dir(tmp_path: Path) -> Path:
    """The fixture's inventory and logs."""
    write_fixture(tmp_path / "in")
    return tmp_path / "in"


def test_every_framework_has_failing_and_manual_controls(
    runner: CliRunner, fixture_dir: Path, tmp_path: Path
) -> None:
    """All four frameworks: a control fails and one is manual; one holding has full coverage."""
    result = audit(runner, fixture_dir, tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    doc = document(tmp_path / "out")
    assert [f["id"] for f in doc["frameworks"]] == ["soc2", "pci-dss", "gdpr", "hipaa"]
    for framework in doc["frameworks"]:
        statuses = {c["status"] for c in framework["controls"]}
        assert {"fails", "manual"} <= statuses, framework["id"]
        held = [c for c in framework["controls"] if c["status"] == "holds"]
        assert all(c["coverage"] == "full" for c in held), framework["id"]
    assert "failing: CC2.1, CC6.1" in result.stdout
    assert "PCI DSS 4.0.1: 8 fail, 1 hold, 6 not evaluated, 65 manual (8 of them on partial" in (
        result.stdout
    )
    assert "Wrote " in result.stdout


def test_outputs_validate_and_agree(runner: CliRunner, fixture_dir: Path, tmp_path: Path) -> None:
    """JSON, CSV, SARIF and OSCAL are written, named by run id, and valid."""
    out = tmp_path / "out"
    assert audit(runner, fixture_dir, out).exit_code == 0
    doc = document(out)
    run_id = json_path(out).stem
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{run_id}{s}" for s in (".json", ".csv", ".sarif", ".oscal.json")
    )
    rows = list(csv.DictReader(io.StringIO((out / f"{run_id}.csv").read_text())))
    assert [r["finding_id"] for r in rows] == [f["id"] for f in doc["findings"]]
    assert sarif_errors(json.loads((out / f"{run_id}.sarif").read_text())) == []
    assert oscal_errors(json.loads((out / f"{run_id}.oscal.json").read_text())) == []
    assert "secret" not in json.dumps(doc["keys"]).lower()


def test_same_inputs_and_as_of_give_identical_json(
    runner: CliRunner, fixture_dir: Path, tmp_path: Path
) -> None:
    """Twice on the same database and once on a fresh one: the JSON bytes do not change."""
    assert audit(runner, fixture_dir, tmp_path / "a").exit_code == 0
    assert audit(runner, fixture_dir, tmp_path / "b").exit_code == 0
    fresh = audit(runner, fixture_dir, tmp_path / "c", "--db", str(tmp_path / "fresh.db"))
    assert fresh.exit_code == 0
    first, second, third = (json_path(tmp_path / d).read_bytes() for d in "abc")
    assert first == second == third
    assert json_path(tmp_path / "a").name != json_path(tmp_path / "b").name


def test_diff_shows_a_fixed_key_as_resolved(
    runner: CliRunner, fixture_dir: Path, tmp_path: Path
) -> None:
    """Rotating k-prod-old and re-running: its rotation-overdue finding is resolved."""
    assert audit(runner, fixture_dir, tmp_path / "before").exit_code == 0
    fixed = tmp_path / "fixed"
    write_fixture(fixed, rotated={"k-prod-old": "2026-09-15"})
    assert audit(runner, fixed, tmp_path / "after").exit_code == 0
    first = json_path(tmp_path / "before").stem
    second = json_path(tmp_path / "after").stem
    result = invoke(runner, "audit", "diff", first, second, "--json")
    diff = json.loads(result.stdout)
    assert [(f["rule_id"], f["subject"]) for f in diff["resolved"]] == [
        ("rotation-overdue", "k-prod-old")
    ]
    assert diff["new"] == []
    assert len(diff["persisting"]) == 8
    changes = {(c["framework"], c["control"]): (c["from"], c["to"]) for c in diff["controls"]}
    assert changes == {("pci-dss", "3.7.4"): ("fails", "holds")}  # its marked keys: all rotated
    text = invoke(runner, "audit", "diff", first, second).stdout
    assert "0 new, 1 resolved, 8 persisting" in text
    assert "pci-dss 3.7.4: fails -> holds" in text


def test_waiver_suppresses_until_expiry(
    runner: CliRunner, fixture_dir: Path, tmp_path: Path
) -> None:
    """A waiver keeps the finding, marked waived; after its expiry it is marked expired again."""
    added = invoke(
        runner, "waiver", "add", "rotation-overdue", "--key", "k-prod-*", "--reason",
        "orders migration", "--owner", "orders-lead", "--expires", "2026-10-15",
        "--as-of", "2026-09-01",
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert audit(runner, fixture_dir, tmp_path / "waived").exit_code == 0
    doc = document(tmp_path / "waived")
    (finding,) = [f for f in doc["findings"] if f["rule_id"] == "rotation-overdue"]
    assert finding["waiver"]["state"] == "waived"
    assert finding["waiver"]["owner"] == "orders-lead"
    assert [w["matched"] for w in doc["waivers"]] == [1]
    assert doc["summary"]["waived"] == 1
    pci = {c["id"]: c for c in doc["frameworks"][1]["controls"]}
    assert pci["3.7.4"]["status"] == "holds" and pci["3.7.4"]["waived"] == 1
    others = [f for f in doc["findings"] if f["rule_id"] != "rotation-overdue"]
    assert all(f["waiver"] is None for f in others)

    later = audit(runner, fixture_dir, tmp_path / "expired", "--as-of", "2026-10-20")
    assert later.exit_code == 0
    doc = document(tmp_path / "expired")
    (finding,) = [f for f in doc["findings"] if f["id"] == finding["id"]]
    assert finding["waiver"]["state"] == "expired"
    assert doc["summary"]["expired_waivers"] == 1 and doc["summary"]["waived"] == 0
    pci = {c["id"]: c for c in doc["frameworks"][1]["controls"]}
    assert pci["3.7.4"]["status"] == "fails"
    assert "0 of them waived, 1 whose waiver expired" in later.stdout


def test_fail_on_sets_exit_code(runner: CliRunner, fixture_dir: Path, tmp_path: Path) -> None:
    """Exit 1 only when an unwaived finding at or above --fail-on exists; default never."""
    assert audit(runner, fixture_dir, tmp_path / "a", "--fail-on", "critical").exit_code == 1
    waived = invoke(
        runner, "waiver", "add", "used-after-revocation", "--key", "k-prod-gone", "--reason",
        "incident INC-7 handled", "--owner", "sec", "--expires", "2026-12-31", "--as-of", AS_OF,
    )  # fmt: skip
    assert waived.exit_code == 0
    result = audit(runner, fixture_dir, tmp_path / "b", "--fail-on", "critical")
    assert result.exit_code == 0
    failing = audit(runner, fixture_dir, tmp_path / "c", "--fail-on", "high")
    assert failing.exit_code == 1
    assert "at or above high" in failing.stderr


def test_without_logs_log_rules_are_not_evaluated(
    runner: CliRunner, fixture_dir: Path, tmp_path: Path
) -> None:
    """No logs: log rules are 'not evaluated' and controls resting on them never hold."""
    args = ["audit", "run", "--inventory", str(fixture_dir / "keys.csv"), "--as-of", AS_OF]
    assert invoke(runner, *args, "--out", str(tmp_path / "o")).exit_code == 0
    doc = document(tmp_path / "o")
    rules = {r["id"]: r for r in doc["rules"]}
    assert rules["failed-auth-burst"]["status"] == "not_evaluated"
    assert rules["failed-auth-burst"]["reason"] == "no access logs given"
    pci = {c["id"]: c["status"] for c in doc["frameworks"][1]["controls"]}
    assert pci["8.3.4"] == "not_evaluated"
    assert doc["logs"] is None and doc["usage"] == []


def test_stored_keys_are_used_when_no_inventory_given(
    runner: CliRunner, fixture_dir: Path, tmp_path: Path
) -> None:
    """A second run without --inventory audits the keys already imported."""
    assert audit(runner, fixture_dir, tmp_path / "a").exit_code == 0
    args = ["audit", "run", "--logs", str(fixture_dir / "access.jsonl"), "--as-of", AS_OF]
    assert invoke(runner, *args, "--out", str(tmp_path / "b")).exit_code == 0
    first, second = document(tmp_path / "a"), document(tmp_path / "b")
    assert second["findings"] == first["findings"]
    assert [i["sha256"] for i in second["inputs"]] == [i["sha256"] for i in first["inputs"]]


def test_list_show_and_errors(runner: CliRunner, fixture_dir: Path, tmp_path: Path) -> None:
    """list and show print the stored run; unknown runs and formats are usage errors (exit 2)."""
    assert audit(runner, fixture_dir, tmp_path / "a").exit_code == 0
    runs = json.loads(invoke(runner, "audit", "list", "--json").stdout)
    assert len(runs) == 1 and runs[0]["summary"]["findings"] == 9
    run_id = runs[0]["id"]
    assert run_id in invoke(runner, "audit", "list").stdout
    printed = invoke(runner, "audit", "show", run_id[:14], "--json").stdout
    shown = json.loads(printed)
    assert shown["result"] == document(tmp_path / "a")
    assert printed == dumps(shown) + "\n"  # the stored bytes set in read as dumps writes JSON
    assert "PCI DSS 4.0.1" in invoke(runner, "audit", "show", "latest").stdout
    missing = invoke(runner, "audit", "show", "run-19990101-00000000")
    assert missing.exit_code == 2 and "no audit run" in missing.stderr
    bad = audit(runner, fixture_dir, tmp_path / "b", "--format", "docx")
    assert bad.exit_code == 2 and "'docx'" in bad.stderr
    unknown = audit(runner, fixture_dir, tmp_path / "c", "--frameworks", "soc2,iso27001")
    assert unknown.exit_code == 2 and "iso27001" in unknown.stderr
