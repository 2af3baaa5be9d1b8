"""``keyvigil scan`` as a user meets it: allowlist, skipped files, bad input, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.reports.schema_check import sarif_errors
from tests.scan.test_engine import SAMPLES
from toolkit.cli import cli
from toolkit.scan import CHECKS, SOURCES, ScanOptions, run_scan
from toolkit.scan.outputs import FORMATS


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with one GitHub token in code and one in a test fixture."""
    monkeypatch.chdir(tmp_path)
    src = tmp_path / "src"
    (src / "tests" / "fixtures").mkdir(parents=True)
    (src / "app.py").write_text("x = 1\n" + SAMPLES["github-pat"])
    (src / "tests" / "fixtures" / "stripe.txt").write_text(SAMPLES["stripe-access-token"])
    return src


def scan(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    """Run ``keyvigil scan``; (exit code, stdout, stderr)."""
    result = runner.invoke(cli, ["--db", "kv.db", "scan", *args])
    return result.exit_code, result.stdout, result.stderr


def trail_length(runner: CliRunner) -> int:
    """How many trail entries the test database holds."""
    return len(json.loads(runner.invoke(cli, ["--db", "kv.db", "trail", "show", "--json"]).stdout))


def test_allowlist_by_fingerprint_and_path(runner: CliRunner, tree: Path) -> None:
    """Allowed findings leave the findings, show reason and owner, and are SARIF suppressions."""
    _, out, _ = scan(runner, "src", "--json")
    prefix = next(f for f in json.loads(out)["findings"] if f["file"] == "src/app.py")[
        "fingerprint_prefix"
    ]
    (tree / ".keyvigil-ignore").write_text(
        f"- fingerprint: {prefix}\n  reason: revoked demo token\n  owner: platform\n"
        "- path: tests/fixtures/*\n  reason: recorded fixtures\n  owner: qa\n"
    )
    code, out, _ = scan(runner, "src", "--json", "--fail-on", "low")
    report = json.loads(out)
    assert code == 0 and report["findings"] == []
    assert {(a["file"], a["owner"]) for a in report["allowed"]} == {
        ("src/app.py", "platform"),
        ("src/tests/fixtures/stripe.txt", "qa"),
    }
    code, out, _ = scan(runner, "src")
    assert "allowed: secret-in-code src/app.py:2 (fingerprint " in out
    scan(runner, "src", "--format", "sarif", "--out", "s.sarif")
    sarif = json.loads(Path("s.sarif").read_text())
    assert sarif_errors(sarif) == []
    assert all(r["suppressions"][0]["status"] == "accepted" for r in sarif["runs"][0]["results"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "- path: '*'\n  reason: fixtures\n",
            "src/.keyvigil-ignore: record 1: owner: Field required",
        ),
        ("- fingerprint: XYZ\n  reason: why\n  owner: me\n", "record 1: fingerprint: String"),
        ("- reason: why\n  owner: me\n", "record 1: Value error, give either path or fingerprint"),
        ("path: x\n", "src/.keyvigil-ignore: must be a list of entries"),
        ("- [unclosed\n", "src/.keyvigil-ignore:2: not valid YAML"),
    ],
)
def test_bad_allowlist_is_one_line_and_writes_nothing(
    runner: CliRunner, tree: Path, content: str, message: str
) -> None:
    """Exit 2, the file, record and field named, no traceback, no trail entry."""
    scan(runner, "src")
    before = trail_length(runner)
    (tree / ".keyvigil-ignore").write_text(content)
    code, out, err = scan(runner, "src")
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert trail_length(runner) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("missing",), "Error: missing: no such file or folder"),
        (("src", "--format", "xml"), "--format: unknown xml"),
        (("src", "--format", "json,sarif"), "several formats need --out"),
        (("src", "--since", "nope"), "is not a commit of this repository"),
        (("src", "--inventory", "none.csv"), "Error: none.csv: no such file"),
    ],
)
def test_bad_usage_exits_2(
    runner: CliRunner, tree: Path, args: tuple[str, ...], message: str
) -> None:
    """One line naming the problem, exit 2."""
    subprocess.run(["git", "init", "-q", str(tree)], check=True)
    code, _, err = scan(runner, *args)
    assert code == 2 and message in err


def test_binaries_big_files_and_fifos_are_reported_skipped(runner: CliRunner, tree: Path) -> None:
    """Skipped files are named with the reason; a FIFO never blocks the scan."""
    (tree / "blob.bin").write_bytes(b"\0\1\2" + SAMPLES["github-pat"].encode())
    (tree / "big.txt").write_text("x" * (2 * 1024 * 1024))
    os.mkfifo(tree / "pipe")
    code, out, _ = scan(runner, "src", "--max-size", "1", "--json")
    skipped = {s["file"]: s["reason"] for s in json.loads(out)["skipped"]}
    assert skipped == {
        "src/blob.bin": "binary",
        "src/big.txt": "larger than 1048576 bytes (2097152)",
        "src/pipe": "not a regular file",
    }
    _, out, _ = scan(runner, "src", "--max-size", "1")
    assert "skipped: src/blob.bin (binary)" in out


def test_fail_on_and_logs_flag(runner: CliRunner, tree: Path) -> None:
    """--fail-on high exits 1; --logs makes every file a log (secret-in-logs)."""
    code, _, err = scan(runner, "src", "--fail-on", "high")
    assert code == 1 and "finding(s) at or above high" in err
    _, out, _ = scan(runner, "src", "--logs", "--json")
    assert {f["rule"] for f in json.loads(out)["findings"]} == {"secret-in-logs"}


def test_since_scans_only_new_history(runner: CliRunner, tree: Path) -> None:
    """--since COMMIT reads only the commits after it."""
    git = ["git", "-C", str(tree), "-c", "user.name=a", "-c", "user.email=a@b"]
    subprocess.run(["git", "init", "-q", str(tree)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "one"], check=True)
    first = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    (tree / "later.py").write_text(SAMPLES["gitlab-pat"])
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "two"], check=True)
    _, out, _ = scan(runner, "src", "--since", first.strip(), "--json")
    report = json.loads(out)
    assert report["read"]["commits"] == 1
    assert {f["file"] for f in report["findings"] if f["commit"]} == {"src/later.py"}


def test_every_registered_part_runs(tmp_path: Path) -> None:
    """Each source, check and output format is wired: exercised by one scan."""
    (tmp_path / "a.py").write_text(SAMPLES["github-pat"])
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    options = ScanOptions(git=True)
    assert all(s.wanted(options) for s in SOURCES.values())
    report = run_scan([tmp_path], options)
    for check in CHECKS.values():
        assert check.observe((), options) is not None
    for name, output in FORMATS.items():
        assert output.name == name and output.render(report).startswith(b"{")


def test_help_lists_the_options(runner: CliRunner) -> None:
    """--help text names every option."""
    out = runner.invoke(cli, ["scan", "--help"]).stdout
    for option in ("--git", "--since", "--logs", "--inventory", "--home", "--no-ignore",
                   "--format", "--out", "--fail-on", "--max-size"):  # fmt: skip
        assert option in out


def test_history_covers_other_branches_and_tags(runner: CliRunner, tree: Path) -> None:
    """Secrets committed only on a side branch or only under a tag are found, gone at HEAD."""
    git = ["git", "-C", str(tree), "-c", "user.name=a", "-c", "user.email=a@b"]

    def commit(message: str) -> str:
        subprocess.run([*git, "add", "-A"], check=True)
        subprocess.run([*git, "commit", "-qm", message], check=True)
        return subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True).stdout

    subprocess.run(["git", "init", "-q", "-b", "main", str(tree)], check=True)
    commit("base")
    subprocess.run([*git, "checkout", "-q", "-b", "feature"], check=True)
    (tree / "side.py").write_text(SAMPLES["slack-bot-token"])
    on_branch = commit("side").strip()
    subprocess.run([*git, "checkout", "-q", "--detach", "main"], check=True)
    (tree / "tagged.py").write_text(SAMPLES["gitlab-pat"])
    on_tag = commit("tagged").strip()
    subprocess.run([*git, "tag", "v1"], check=True)
    subprocess.run([*git, "checkout", "-q", "main"], check=True)
    _, out, _ = scan(runner, "src", "--git", "--json")
    found = {(f["file"], f["commit"], f["at_head"]) for f in json.loads(out)["findings"]}
    assert ("src/side.py", on_branch, False) in found
    assert ("src/tagged.py", on_tag, False) in found
