"""The log-reading options are shared: ``alerts`` and ``audit run`` both take --assume-tz."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from toolkit.cli import cli

NAIVE = '{"ts":"2026-09-01 10:00:00","key_id":"k1","principal":"svc","status":200}\n'


def test_alerts_refuses_naive_times_unless_a_zone_is_assumed(
    runner: CliRunner, tmp_path: Path
) -> None:
    log = tmp_path / "naive.jsonl"
    log.write_text(NAIVE, encoding="utf-8")
    refused = runner.invoke(cli, ["alerts", "--logs", str(log), "--as-of", "2026-10-01"])
    assert refused.exit_code == 2
    assert refused.stderr.startswith(f"Error: {log}:1: ts:") and "--assume-tz" in refused.stderr
    args = ["alerts", "--logs", str(log), "--as-of", "2026-10-01", "--json"]
    accepted = runner.invoke(cli, [*args, "--assume-tz", "Europe/Berlin"])
    assert accepted.exit_code == 0, accepted.stderr
    assert json.loads(accepted.stdout)["coverage"]["first_event"].startswith("2026-09-01T08:00")


def test_audit_run_and_alerts_share_the_options() -> None:
    for path in (["alerts"], ["audit", "run"]):
        help_text = CliRunner().invoke(cli, [*path, "--help"]).stdout
        for option in ("--log-format", "--skip-bad-records", "--assume-tz"):
            assert option in help_text, (path, option)


def test_a_closed_pipe_is_not_an_internal_error(tmp_path: Path) -> None:
    """``keyvigil ... | head`` ends quietly, without 'internal error' on stderr."""
    script = (
        "import sys; sys.argv = ['keyvigil', 'trail', 'show', '--db', sys.argv[1]];"
        "from toolkit.cli import main; main()"
    )
    db = f"sqlite:///{tmp_path / 'x.db'}"
    process = subprocess.Popen(
        [sys.executable, "-c", script, db], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None
    process.stdout.close()
    _, stderr = process.communicate(timeout=60)
    assert b"internal error" not in stderr
