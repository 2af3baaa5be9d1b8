"""The issue's acceptance, as a new user would try it: a planted repository scanned by the CLI.

Every planted problem is found with the right rule, commit and place, and nothing else; the
SARIF validates; the JSON feeds an audit whose scan rules fail (and, on a clean tree, hold); no
output, stored record or trail entry holds a planted value.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.reports.schema_check import sarif_errors
from tests.scan.fixture import Planted, build
from toolkit.cli import cli

AS_OF = "2026-10-01T00:00:00Z"


@pytest.fixture
def planted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Planted:
    """The fixture, with the working folder at its root (paths are given relative to it)."""
    monkeypatch.chdir(tmp_path)
    return build(tmp_path)


def _scan(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    """Run ``keyvigil scan`` against the fixture's database; (exit code, stdout, stderr)."""
    result = runner.invoke(cli, ["--db", "kv.db", "--as-of", AS_OF, "scan", *args])
    return result.exit_code, result.stdout, result.stderr


FULL = ("repo", "service-logs", "--git", "--home", "home", "--inventory", "inventory.csv")


def test_every_planted_problem_and_nothing_else(runner: CliRunner, planted: Planted) -> None:
    """Rule, place, commit and presence at HEAD of each of the five planted problems."""
    code, out, _ = _scan(runner, *FULL, "--json")
    assert code == 0
    found = {
        (f["rule"], f["file"], f["line"], f["commit"], f["at_head"], f["key_id"])
        for f in json.loads(out)["findings"]
    }
    c = planted.commits
    assert found == {
        ("inventoried-key-exposed", "repo/src/settings.py", 2, c["key-added"], False,
         "prod-qore-api"),
        ("secret-in-code", "repo/config/aws.ini", 3, c["aws-added"], True, None),
        ("env-file-not-ignored", "repo/.env", None, None, None, None),
        ("secret-in-logs", "service-logs/app.log", 2, None, None, None),
        ("config-permissions", "home/.config/failsafe-qore/credentials", None, None, None, None),
    }  # fmt: skip
    report = json.loads(out)
    assert report["read"]["commits"] == 5 and report["read"]["log_files"] == 1
    exposed = next(f for f in report["findings"] if f["rule"] == "inventoried-key-exposed")
    assert exposed["introduced"] == "2026-09-02T10:00:00Z"
    assert "keyvigil incident open key-leakage --key prod-qore-api" in exposed["message"]


def test_gitignored_files_are_scanned_only_with_no_ignore(
    runner: CliRunner, planted: Planted
) -> None:
    """The ignored ``debug.log`` token is reported only when asked to ignore .gitignore."""
    _, out, _ = _scan(runner, "repo", "--json")
    assert "repo/debug.log" not in {f["file"] for f in json.loads(out)["findings"]}
    _, out, _ = _scan(runner, "repo", "--no-ignore", "--json")
    leaked = [f for f in json.loads(out)["findings"] if f["file"] == "repo/debug.log"]
    assert [(f["rule"], f["line"]) for f in leaked] == [("secret-in-logs", 1)]


def test_sarif_validates_and_describes_the_rules(runner: CliRunner, planted: Planted) -> None:
    """SARIF 2.1.0 valid against the schema; rule metadata, locations, partial fingerprints."""
    code, _, err = _scan(runner, *FULL, "--format", "json,sarif", "--out", "out/scan.json")
    assert code == 0, err
    sarif = json.loads(Path("out/scan.sarif").read_text())
    assert sarif_errors(sarif) == []
    run = sarif["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [
        "inventoried-key-exposed", "secret-in-code", "secret-in-logs", "env-file-not-ignored",
        "config-permissions",
    ]  # fmt: skip
    assert len(run["results"]) == 5
    aws = next(r for r in run["results"] if r["ruleId"] == "secret-in-code")
    location = aws["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "repo/config/aws.ini"
    assert location["region"] == {"startLine": 3, "startColumn": 21}
    ids = {r["partialFingerprints"]["keyvigilScanFinding/v1"] for r in run["results"]}
    assert len(ids) == 5


def _audit(runner: CliRunner, scan: str, out: str) -> dict:
    """Audit the fixture inventory with a scan; the result document."""
    args = ["--db", "kv.db", "audit", "run", "--inventory", "inventory.csv", "--scan", scan]
    result = runner.invoke(cli, [*args, "--as-of", AS_OF, "--out", out, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(next(Path(out).glob("*.json")).read_text())


def _scan_rules(doc: dict) -> dict[str, tuple[str, int]]:
    """Each scan rule's status and its number of findings in an audit document."""
    count = {r["id"]: 0 for r in doc["rules"]}
    for finding in doc["findings"]:
        count[finding["rule_id"]] += 1
    scan_rules = [r for r in doc["rules"] if "scan" in r["needs"]]
    return {r["id"]: (r["status"], count[r["id"]]) for r in scan_rules}


def test_json_feeds_an_audit_whose_scan_rules_fail(runner: CliRunner, planted: Planted) -> None:
    """The scan's JSON makes every scan rule evaluated, each failing on its planted problem.

    In an audit ``secret-in-code`` counts every secret place in code, the inventoried key's
    place too (the catalogue's definition); ``inventoried-key-exposed`` adds the key itself.
    """
    _scan(runner, *FULL, "--format", "json", "--out", "scan.json")
    doc = _audit(runner, "scan.json", "audit-a")
    assert _scan_rules(doc) == {
        "inventoried-key-exposed": ("evaluated", 1),
        "secret-in-code": ("evaluated", 2),
        "secret-in-logs": ("evaluated", 1),
        "env-file-not-ignored": ("evaluated", 1),
        "config-permissions": ("evaluated", 1),
    }


def test_clean_scan_holds_and_scan_of_nothing_never_does(
    runner: CliRunner, planted: Planted
) -> None:
    """A clean tree with logs and config files holds; an empty folder leaves rules unevaluated."""
    clean = Path("clean")
    (clean / "logs").mkdir(parents=True)
    (clean / "app.py").write_text("print('hello')\n")
    (clean / "logs" / "app.log").write_text("2026-09-05T10:00:00Z GET /v1/health 200\n")
    (clean / "credentials").write_text("see vault\n")
    (clean / "credentials").chmod(0o600)
    _scan(runner, "clean", "--inventory", "inventory.csv", "--format", "json", "--out", "c.json")
    statuses = {rule: s for rule, (s, _) in _scan_rules(_audit(runner, "c.json", "a")).items()}
    assert set(statuses.values()) == {"evaluated"}
    Path("empty").mkdir()
    _scan(runner, "empty", "--inventory", "inventory.csv", "--format", "json", "--out", "e.json")
    doc = _audit(runner, "e.json", "b")
    assert {s for s, _ in _scan_rules(doc).values()} == {"not_evaluated"}
    reasons = {r["id"]: r.get("reason") for r in doc["rules"] if "scan" in r["needs"]}
    assert set(reasons.values()) == {"the scan read no files"}


def test_audit_scans_a_folder_given_to_scan(runner: CliRunner, planted: Planted) -> None:
    """``audit run --scan FOLDER`` scans it, looking for the audited keys."""
    doc = _audit(runner, "repo", "audit-c")
    rules = _scan_rules(doc)
    assert rules["env-file-not-ignored"] == ("evaluated", 1)
    assert rules["secret-in-code"] == ("evaluated", 1)
    assert rules["secret-in-logs"][0] == "not_evaluated"  # no log file in the repository
    assert [i["reader"] for i in doc["inputs"] if i["kind"] == "scan"] == [
        "keyvigil-scan (scanned during the audit)"
    ]


def test_no_planted_value_anywhere(runner: CliRunner, planted: Planted) -> None:
    """Canary: terminal, JSON, SARIF, --json, the database (trail included) hold no value."""
    outputs = []
    for extra in ((), ("--json",), ("--format", "json,sarif", "--out", "o/scan.json")):
        code, out, err = _scan(runner, *FULL, "--no-ignore", *extra)
        outputs += [out, err]
    outputs += [Path("o/scan.json").read_text(), Path("o/scan.sarif").read_text()]
    _audit(runner, "o/scan.json", "audit-d")
    outputs += [p.read_text() for p in Path("audit-d").glob("*")]
    trail = runner.invoke(cli, ["--db", "kv.db", "trail", "show", "--json"]).stdout
    stored = runner.invoke(cli, ["--db", "kv.db", "audit", "show", "latest", "--json"]).stdout
    assert "scan.run" in trail and "inventoried-key-exposed" in stored
    with sqlite3.connect("kv.db") as db:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            outputs += [repr(row) for row in db.execute(f"SELECT * FROM {table}")]
    blob = "\n".join([*outputs, trail, stored])
    for value in planted.canaries:
        assert value not in blob
        assert value[:8] not in blob
