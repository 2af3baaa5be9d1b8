"""``keyvigil waiver add | list | revoke`` through the real CLI."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from toolkit.cli import cli

ADD = [
    "waiver",
    "add",
    "no-expiry",
    "--key",
    "AKIA*",
    "--reason",
    "AWS keys cannot expire",
    "--owner",
    "platform",
    "--expires",
    "2026-12-31",
    "--as-of",
    "2026-10-01",
]


def test_add_list_revoke(runner: CliRunner) -> None:
    """Add prints the id and expiry (end of the day given); list shows it; revoke removes it."""
    added = runner.invoke(cli, ADD)
    assert added.exit_code == 0, added.stderr
    assert added.stdout == "waiver 1: no-expiry on AKIA* until 2027-01-01T00:00:00Z (unapproved)\n"
    listed = runner.invoke(cli, ["waiver", "list", "--json", "--as-of", "2026-10-01"])
    rows = json.loads(listed.stdout)
    assert [(r["id"], r["state"], r["owner"], r["created_by"]) for r in rows] == [
        (1, "active", "platform", "tester")
    ]
    table = runner.invoke(cli, ["waiver", "list", "--as-of", "2026-10-01"])
    assert table.stdout.splitlines()[0].split() == [
        "ID",
        "RULE",
        "KEY",
        "OWNER",
        "APPROVED",
        "BY",
        "EXPIRES",
        "STATE",
        "REASON",
    ]
    assert "AWS keys cannot expire" in table.stdout
    revoked = runner.invoke(cli, ["waiver", "revoke", "1", "--reason", "rotated"])
    assert revoked.exit_code == 0 and revoked.stderr == "waiver 1 revoked\n"
    assert json.loads(runner.invoke(cli, ["waiver", "list", "--json"]).stdout) == []
    every = json.loads(runner.invoke(cli, ["waiver", "list", "--all", "--json"]).stdout)
    assert [r["state"] for r in every] == ["revoked"]
    trail = json.loads(runner.invoke(cli, ["trail", "show", "--json"]).stdout)
    assert [e["action"] for e in trail] == ["waiver.add", "waiver.revoke"]
    assert trail[1]["payload"] == {"id": 1, "rule_id": "no-expiry", "reason": "rotated"}


def test_approver_and_time_are_stored_listed_and_in_the_trail(runner: CliRunner) -> None:
    """--approved-by records who approved and when; the trail's waiver.add entry says so too."""
    added = runner.invoke(cli, [*ADD, "--approved-by", "ciso@example.org", "--json"])
    assert added.exit_code == 0, added.stderr
    record = json.loads(added.stdout)
    assert record["approved_by"] == "ciso@example.org"
    assert record["approved_at"] == record["created_at"] is not None
    (row,) = json.loads(runner.invoke(cli, ["waiver", "list", "--json"]).stdout)
    assert (row["approved_by"], row["approved_at"]) == ("ciso@example.org", record["approved_at"])
    table = runner.invoke(cli, ["waiver", "list", "--as-of", "2026-10-01"]).stdout
    assert "ciso@example.org" in table
    (entry,) = json.loads(runner.invoke(cli, ["trail", "show", "--json"]).stdout)
    assert entry["payload"]["approved_by"] == "ciso@example.org"


def test_blank_approver_is_refused_and_nothing_is_stored(runner: CliRunner) -> None:
    """--approved-by ' ' is a one-line error with exit 2; no waiver, no trail entry."""
    refused = runner.invoke(cli, [*ADD, "--approved-by", "  "])
    assert refused.exit_code == 2
    assert "--approved-by" in refused.stderr and "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert json.loads(runner.invoke(cli, ["waiver", "list", "--all", "--json"]).stdout) == []
    assert json.loads(runner.invoke(cli, ["trail", "show", "--json"]).stdout) == []


def test_expired_waivers_only_listed_with_all(runner: CliRunner) -> None:
    """After its expiry a waiver is not active any more."""
    assert runner.invoke(cli, ADD).exit_code == 0
    later = ["--as-of", "2027-01-01T00:00:00Z", "--json"]
    assert json.loads(runner.invoke(cli, ["waiver", "list", *later]).stdout) == []
    every = json.loads(runner.invoke(cli, ["waiver", "list", "--all", *later]).stdout)
    assert [r["state"] for r in every] == ["expired"]


@pytest.mark.parametrize(
    ("drop", "message"),
    [
        ("--reason", "Missing option '--reason'"),
        ("--owner", "Missing option '--owner'"),
        ("--expires", "Missing option '--expires'"),
    ],
)
def test_missing_reason_owner_or_expiry_refused(runner: CliRunner, drop: str, message: str) -> None:
    """Click refuses with exit 2 and names the option."""
    i = ADD.index(drop)
    result = runner.invoke(cli, ADD[:i] + ADD[i + 2 :])
    assert result.exit_code == 2 and message in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["waiver", "add", "no-such-rule", *ADD[3:]],
            "Error: RULE: unknown rule id 'no-such-rule'",
        ),
        ([*ADD[:5], "--reason", " ", *ADD[7:]], "Error: --reason: required"),
        ([*ADD[:-2], "--as-of", "2027-02-01"], "Error: --expires: 2027-01-01T00:00:00Z is not in"),
        ([*ADD[:9], "--expires", "someday", *ADD[11:]], "Error: --expires: not a timestamp"),
        (["waiver", "revoke", "7"], "Error: ID: no waiver with id 7"),
    ],
)
def test_bad_requests_exit_2_with_a_clear_message(
    runner: CliRunner, args: list[str], message: str
) -> None:
    """Unknown rule, blank reason, past or unreadable expiry, unknown id: exit 2, one line."""
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message), result.stderr
    assert json.loads(runner.invoke(cli, ["trail", "show", "--json"]).stdout) == []
