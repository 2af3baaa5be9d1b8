"""What reaches the operator: formula-safe CSV, visible control characters, fingerprint prefixes."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from toolkit.cli import cli

AS_OF = ["--as-of", "2026-10-01T00:00:00Z"]
FORMULAS = ["=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-2+3"]
ESCAPES = "evil\x1b[2J\x1b]0;pwned\x07\x9b31m\u202e"
WEAK_VALUE = "hunter1234"
STRONG_VALUE = "kv_" + "Zx9Qw2Er7Ty5Ui8Op3As6Df1Gh4Jk0Lz" * 2


def _import(runner: CliRunner, tmp_path: Path, records: list[dict[str, object]]) -> None:
    """Import house JSON records into the runner's database."""
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(records))
    result = runner.invoke(cli, ["inventory", "import", str(path)])
    assert result.exit_code == 0, result.stderr


def test_inventory_csv_neutralises_formulas(runner: CliRunner, tmp_path: Path) -> None:
    """Names, owners and purposes that a spreadsheet would run come out as quoted text."""
    records = [
        {"id": f"f-{n}", "name": formula, "owner": formula, "purpose": formula}
        for n, formula in enumerate(FORMULAS)
    ]
    _import(runner, tmp_path, records)
    result = runner.invoke(cli, ["inventory", "list", "--csv", *AS_OF])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(FORMULAS)
    for row in rows:
        assert row["name"] == "'" + FORMULAS[int(row["key_id"][2:])]
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def _assert_visible(text: str) -> None:
    """No raw control character; the escape shows as text."""
    for char in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert char not in text
    assert "\\u001b[2J" in text and "\\u202e" in text


def test_list_and_show_render_control_characters_visibly(runner: CliRunner, tmp_path: Path) -> None:
    """Escapes and line breaks in stored fields cannot recolour the terminal or forge a row."""
    records = [
        {"id": "k-1", "name": ESCAPES, "owner": ESCAPES},
        {"id": "k-2", "owner": "team\nk-9  forged-row"},
    ]
    _import(runner, tmp_path, records)
    listed = runner.invoke(cli, ["inventory", "list", *AS_OF])
    assert listed.exit_code == 0, listed.stderr
    _assert_visible(listed.stdout)
    assert len(listed.stdout.splitlines()) == 3  # the header and the two keys
    assert "team\\u000ak-9  forged-row" in listed.stdout
    shown = runner.invoke(cli, ["inventory", "show", "k-1", *AS_OF])
    _assert_visible(shown.stdout)
    as_json = runner.invoke(cli, ["inventory", "list", "--json", *AS_OF])
    assert json.loads(as_json.stdout)[0]["name"] == ESCAPES  # the data is intact, only shown safely
    _assert_visible(as_json.stdout)


def test_error_naming_a_hostile_path_is_visible(runner: CliRunner, tmp_path: Path) -> None:
    """A file name with an escape sequence is named in the error without the raw escape."""
    name = tmp_path / "keys\x1b[2J\u202e.csv"
    result = runner.invoke(cli, ["inventory", "import", str(name)])
    assert result.exit_code == 2
    assert (
        "\x1b" not in result.stderr and "keys\\u001b[2J\\u202e.csv: no such file" in result.stderr
    )


def test_alerts_render_a_hostile_key_id_visibly(runner: CliRunner, tmp_path: Path) -> None:
    """A key_id taken from a log (eleven failures in a minute) is printed escaped."""
    at = datetime(2026, 9, 30, 12, 0, tzinfo=UTC)
    lines = [
        json.dumps(
            {
                "ts": (at + timedelta(seconds=3 * i)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "key_id": "k\x1b[2Jx\u202e",
                "source_ip": "10.1.2.3",
                "action": "GET /v1/x",
                "status": 401,
            }
        )
        for i in range(11)
    ]
    log = tmp_path / "api.jsonl"
    log.write_text("\n".join(lines) + "\n")
    result = runner.invoke(cli, ["alerts", "--logs", str(log), *AS_OF])
    assert result.exit_code == 1, result.output
    assert "\x1b" not in result.stdout + result.stderr and "k\\u001b[2Jx\\u202e" in result.stdout


def test_only_a_fingerprint_prefix_leaves_the_store(runner: CliRunner, tmp_path: Path) -> None:
    """list --json/--csv and show print 12 hex digits; the weak key is flagged loudly."""
    records = [{"id": "weak-1", "key": WEAK_VALUE}, {"id": "strong-1", "key": STRONG_VALUE}]
    _import(runner, tmp_path, records)
    full = {hashlib.sha256(v.encode()).hexdigest() for v in (WEAK_VALUE, STRONG_VALUE)}
    outputs = []
    for args in (["list", "--json"], ["list", "--csv"], ["list"], ["show", "weak-1"]):
        result = runner.invoke(cli, ["inventory", *args, *AS_OF])
        assert result.exit_code == 0, result.stderr
        outputs.append(result.stdout + result.stderr)
    for digest in full:
        assert all(digest not in text for text in outputs)
        assert any(digest[:12] in text for text in outputs)
    listed = {k["key_id"]: k for k in json.loads(outputs[0])}
    assert listed["weak-1"]["weak_key"] is True and listed["strong-1"]["weak_key"] is False
    assert "fingerprint" not in listed["weak-1"]
    assert "WEAK (" in outputs[2] and "WEAK KEYS: 1 key(s)" in outputs[2]
    assert "WEAK KEY:" in outputs[3]
