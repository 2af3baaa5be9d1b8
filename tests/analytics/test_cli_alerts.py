"""``keyvigil alerts`` through the real CLI: tiers, JSON, exit codes 0/1/2, bad records."""

from __future__ import annotations

import gc
import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pexpect
import pytest
from click.testing import CliRunner

from toolkit.analytics import alert_run
from toolkit.cli import cli

INVENTORY = """key_id,name,owner,environment,created_at,expires_at,revoked_at,last_rotated_at
hk_a,orders,team-a,prod,2026-06-01T00:00:00Z,2027-06-01T00:00:00Z,,2026-09-20T00:00:00Z
hk_b,billing,team-b,prod,2026-06-01T00:00:00Z,2026-10-05T00:00:00Z,,2026-09-20T00:00:00Z
hk_old,old,team-c,dev,2025-06-01T00:00:00Z,2027-01-01T00:00:00Z,2026-09-01T00:00:00Z,
"""
AS_OF = ["--as-of", "2026-10-01T00:00:00Z"]


def _line(ts: datetime, key_id: str | None, status: int = 200) -> str:
    """One house-format JSON line."""
    stamp = ts.strftime("%Y-%m-%dT%H:%M:%SZ")
    record = {"ts": stamp, "key_id": key_id, "source_ip": "10.1.2.3", "country": "DE"}
    return json.dumps(record | {"action": "GET /v1/x", "status": status}) + "\n"


def _files(tmp_path: Path, burst: bool = False, bad: bool = False) -> tuple[Path, Path]:
    """An inventory CSV and a log with hourly calls of hk_a for 60 days (+ a burst, a bad line)."""
    start = datetime(2026, 8, 2, tzinfo=UTC)
    lines = [_line(start + timedelta(hours=h), "hk_a") for h in range(60 * 24)]
    if burst:
        at = datetime(2026, 9, 30, 12, 0, 40, tzinfo=UTC)
        lines += [_line(at + timedelta(seconds=4 * i), "hk_a", 401) for i in range(11)]
    if bad:
        lines.insert(5, '{"ts": "yesterday", "key_id": "hk_a", "status": 200}\n')
    (tmp_path / "keys.csv").write_text(INVENTORY)
    (tmp_path / "api.jsonl").write_text("".join(lines))
    return tmp_path / "keys.csv", tmp_path / "api.jsonl"


def test_immediate_alert_exits_1_and_prints_every_tier(runner: CliRunner, tmp_path: Path) -> None:
    """A burst pages (exit 1); the three tier headings are printed, with their alerts."""
    inventory, log = _files(tmp_path, burst=True)
    args = ["alerts", "--logs", str(log), "--inventory", str(inventory), *AS_OF]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "IMMEDIATE (pager): 1 alert(s)" in out
    assert "failed-auth-burst" in out and "11 failed authentications within 60 s" in out
    assert "DAILY (e-mail):" in out and "expiring-soon" in out
    assert "WEEKLY (report):" in out and "log-retention-gap" in out
    assert "read 1451 event(s) from 1 file(s)" in result.stderr


def test_a_log_without_events_says_so(runner: CliRunner, tmp_path: Path) -> None:
    """A log with no event has no time span to print (it read 'None .. None')."""
    log = tmp_path / "api.csv"
    log.write_text("ts,key_id,status\n")
    result = runner.invoke(cli, ["alerts", "--logs", str(log), *AS_OF])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == "read 0 event(s) from 1 file(s)"
    assert "None" not in result.stderr


def test_no_immediate_alert_exits_0(runner: CliRunner, tmp_path: Path) -> None:
    """Ten failures in a minute are not more than ten: nothing pages."""
    inventory, log = _files(tmp_path)
    args = ["alerts", str(log), "--inventory", str(inventory), *AS_OF]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "IMMEDIATE (pager): 0 alert(s)" in result.stdout


def test_json_and_tier_filter(runner: CliRunner, tmp_path: Path) -> None:
    """--json prints alerts per tier; --tier weekly leaves the others empty and exits 0."""
    inventory, log = _files(tmp_path, burst=True)
    args = ["alerts", "--logs", str(log), "--inventory", str(inventory), "--tier", "weekly"]
    result = runner.invoke(cli, [*args, "--json", *AS_OF])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["alerts"]["immediate"] == [] and data["alerts"]["daily"] == []
    rules = {a["rule_id"] for a in data["alerts"]["weekly"]}
    assert "log-retention-gap" in rules
    assert data["coverage"]["events"] == 1451


def test_log_alerts_name_their_events_lines(runner: CliRunner, tmp_path: Path) -> None:
    """A log alert says where its events are (file and lines, as the audit's traces do), in
    the table and in JSON; inventory alerts and whole-log checks have no events to show."""
    inventory, log = _files(tmp_path, burst=True)  # the burst: lines 1441-1451
    args = ["alerts", "--logs", str(log), "--inventory", str(inventory), *AS_OF]
    table = runner.invoke(cli, args)
    assert f"{log} lines 1441, 1442, 1443 and 8 more" in table.stdout
    data = json.loads(runner.invoke(cli, [*args, "--json"]).stdout)["alerts"]
    (burst,) = data["immediate"]
    trace = burst["trace"]
    assert (trace["events"], trace["first_event"]) == (11, "2026-09-30T12:00:40Z")
    assert trace["locations"] == [
        {"path": str(log), "line": n, "record": None} for n in (1441, 1442, 1443)
    ]
    assert (trace["source_ips"], trace["countries"]) == (["10.1.2.3"], ["DE"])
    others = {a["rule_id"]: a["trace"] for a in data["daily"] + data["weekly"]}
    assert others["expiring-soon"] is None and others["log-retention-gap"] is None


def test_used_after_revocation_from_database_keys(runner: CliRunner, tmp_path: Path) -> None:
    """Without --inventory the imported keys are used; the revoked key's use pages."""
    inventory, log = _files(tmp_path)
    with log.open("a") as handle:
        handle.write(_line(datetime(2026, 9, 1, 0, 0, 1, tzinfo=UTC), "hk_old", 401))
    assert runner.invoke(cli, ["inventory", "import", str(inventory)]).exit_code == 0
    result = runner.invoke(cli, ["alerts", "--logs", str(log), *AS_OF])
    assert result.exit_code == 1, result.output
    assert "used-after-revocation  hk_old" in result.stdout


def test_bad_record_exits_2_with_file_and_line(runner: CliRunner, tmp_path: Path) -> None:
    """A malformed record stops the run and names file:line."""
    inventory, log = _files(tmp_path, bad=True)
    result = runner.invoke(cli, ["alerts", "--logs", str(log), "--inventory", str(inventory)])
    assert result.exit_code == 2
    assert f"{log}:6" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("tier", ["immediate", "daily", "weekly"])
def test_skip_bad_records_reports_where(runner: CliRunner, tmp_path: Path, tier: str) -> None:
    """--skip-bad-records continues and says how many and where."""
    inventory, log = _files(tmp_path, bad=True)
    args = ["alerts", "--logs", str(log), "--inventory", str(inventory), "--tier", tier]
    result = runner.invoke(cli, [*args, "--skip-bad-records", *AS_OF])
    assert result.exit_code == 0, result.output
    assert "skipped 1 bad record(s)" in result.stderr
    assert f"{log}:6" in result.stderr


def test_no_logs_is_a_usage_error(runner: CliRunner) -> None:
    """Logs are required."""
    assert runner.invoke(cli, ["alerts"]).exit_code == 2


def test_since_leaves_out_earlier_activity(runner: CliRunner, tmp_path: Path) -> None:
    """A burst before --since does not page; only the chosen tier is printed."""
    inventory, log = _files(tmp_path, burst=True)
    args = ["alerts", str(log), "--inventory", str(inventory), "--tier", "immediate"]
    result = runner.invoke(cli, [*args, "--since", "2026-09-30T12:01:21Z", *AS_OF])
    assert result.exit_code == 0, result.output
    assert "IMMEDIATE (pager): 0 alert(s)" in result.stdout
    assert "DAILY" not in result.stdout
    result = runner.invoke(cli, [*args, "--since", "2026-09-30T12:01:00Z", *AS_OF])
    assert result.exit_code == 1


def _table(out: str, heading: str) -> list[str]:
    """The lines of the table under a tier heading (up to the blank line after it)."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading)) + 1
    end = lines.index("", start)
    return lines[start:end]


def test_table_fits_the_terminal_width(runner: CliRunner, tmp_path: Path) -> None:
    """On a terminal (a real pseudo-terminal, 100 columns) the message wraps onto more lines
    under its column; into a pipe each alert is one line, for grep, whatever COLUMNS says."""
    inventory, log = _files(tmp_path, burst=True)
    args = ["alerts", "--logs", str(log), "--inventory", str(inventory), *AS_OF]
    piped = _table(runner.invoke(cli, args, env={"COLUMNS": "100"}).stdout, "IMMEDIATE")
    assert len(piped) == 2 and len(piped[1]) > 100  # heading, one alert on one long line
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    env["KEYVIGIL_DB"] = f"sqlite:///{tmp_path / 'tty.db'}"  # the terminal's own width: 100
    child = pexpect.spawn(
        sys.executable, ["-m", "toolkit", *args], cwd=str(tmp_path), env=env,
        encoding="utf-8", timeout=60, dimensions=(50, 100),
    )  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    fitted = _table(child.before.replace("\r\n", "\n"), "IMMEDIATE")
    assert len(fitted) > 2 and all(len(line) <= 100 for line in fitted)
    column = fitted[0].index("MESSAGE")
    message = " ".join(line[column:].split("  ")[0].strip() for line in fitted[1:])
    assert "11 failed authentications within 60 s for key" in message
    assert all(line[:column].strip() == "" for line in fitted[2:])  # continuation lines


def test_keys_are_read_with_the_cycle_collector_asleep(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As in an audit, the bulk reading of keys (from files or the database) runs without the
    cycle collector walking them; it is awake again afterwards."""
    seen: list[bool] = []
    real = alert_run.key_values

    def key_values(session: Any) -> list[Any]:
        """The real reader, noting whether the collector was enabled."""
        seen.append(gc.isenabled())
        return real(session)

    monkeypatch.setattr(alert_run, "key_values", key_values)
    inventory, log = _files(tmp_path)
    result = runner.invoke(cli, ["alerts", str(log), "--inventory", str(inventory), *AS_OF])
    assert result.exit_code == 0, result.output
    assert seen == [False]
    assert gc.isenabled()
