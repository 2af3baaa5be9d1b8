"""Every kind of bad inventory input: one line on stderr, exit 2, database exactly unchanged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import data
from tests.ingest.snapshot import snapshot
from toolkit.cli import cli

SECRET = "sk_live_DO_NOT_PRINT_9f8e7d6c5b4a39281706f5e4d3c2b1a0"
HEADER = "id,key,name,createdAt\n"


def _write(name: str, content: bytes | str) -> Callable[[Path], Path]:
    """A case that writes one file into the temp dir."""

    def make(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path

    return make


def _directory(tmp: Path) -> Path:
    """A folder given where a file is expected."""
    (tmp / "folder").mkdir()
    return tmp / "folder"


def _huge_line(tmp: Path) -> Path:
    """A house CSV whose second line is 50 MB long, the secret in it."""
    path = tmp / "huge.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEADER)
        handle.write(f"a,{SECRET}" + "x" * (50 * 1024 * 1024) + ",n,2026-01-01T00:00:00Z\n")
    return path


CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "wrong columns": (
        _write("cols.csv", "id,colour,createdAt\na,red,2026-01-01T00:00:00Z\n"),
        "cols.csv:1: colour: unknown column",
    ),
    "row wider than header": (
        _write("wide.csv", HEADER + f"a,{SECRET},n,2026-01-01T00:00:00Z,extra\n"),
        "wide.csv:2: row has 5 fields, header has 4",
    ),
    "unparseable timestamp": (
        _write("ts.csv", HEADER + f"a,{SECRET},n,{SECRET}\n"),
        "ts.csv:2: created_at: not a timestamp",
    ),
    "naive timestamp": (
        _write("naive.csv", HEADER + f"a,{SECRET},n,2026-01-01 10:00:00\n"),
        "naive.csv:2: created_at: timestamp has no time zone; pass --assume-tz",
    ),
    "duplicate key ids": (
        _write("dup.csv", HEADER + f"a,{SECRET},n,\nb,x,n,\na,{SECRET}2,n,\n"),
        "dup.csv:4: key_id: duplicate key_id (first at line 2)",
    ),
    "invalid UTF-8": (
        _write("latin.csv", HEADER.encode() + b"a,x,n\xe9,\nb," + SECRET.encode() + b",\xff,\n"),
        "latin.csv:2: not valid UTF-8",
    ),
    "truncated JSON": (
        _write("cut.json", f'[{{"id": "a", "key": "{SECRET}", "createdAt": "2026-01-'),
        "cut.json:1: not valid JSON",
    ),
    "truncated JSON response": (
        _write("cut-aws.json", '{"AccessKeyMetadata": [{"UserName": "u", "AccessKeyId": "AKIA'),
        "cut-aws.json:1: not valid JSON",
    ),
    "empty file": (_write("empty.csv", ""), "empty.csv: empty file"),
    "blank file": (_write("blank.json", "\n  \n"), "blank.json: empty file"),
    "directory": (_directory, "folder: is a directory, not a file"),
    "missing file": (lambda tmp: tmp / "absent.csv", "absent.csv: no such file"),
    "50 MB single line": (_huge_line, "huge.csv:2: line too long"),
    "unknown format": (_write("notes.txt", f"hello {SECRET}\n"), "not a known inventory format"),
    "bad boolean": (
        _write("bool.csv", f"id,key,revoked\na,{SECRET},{SECRET}\n"),
        "bool.csv:2: revoked: not a boolean",
    ),
    "bad report status": (
        _write(
            "lak.json",
            '{"AccessKeyMetadata": [{"UserName": "u", "AccessKeyId": "AKIAX", '
            '"Status": "Maybe", "CreateDate": "2026-01-01T00:00:00Z"}]}',
        ),
        "lak.json: record 1: Status: expected Active or Inactive",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_fails_cleanly(case: str, db_url: str, tmp_path: Path) -> None:
    """One 'Error: file:line: field: reason' line, exit 2, no traceback, no secret, no change."""
    runner = CliRunner()
    seed = runner.invoke(
        cli, ["inventory", "import", str(data("inventory/house.csv")), "--db", db_url]
    )
    assert seed.exit_code == 0, seed.stderr
    before = snapshot(db_url)
    make, expected = CASES[case]
    bad = make(tmp_path)
    good = data("inventory/gcp-keys-rest.json")
    result = runner.invoke(cli, ["inventory", "import", str(good), str(bad), "--db", db_url])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {tmp_path}") and expected in lines[0], lines[0]
    assert "Traceback" not in result.stderr and SECRET not in result.stderr + result.stdout
    assert len(lines[0]) < 400
    assert snapshot(db_url) == before


def test_unknown_format_name_is_reported_before_reading(runner: CliRunner) -> None:
    """--format NAME that does not exist lists the valid names, exit 2."""
    result = runner.invoke(cli, ["inventory", "import", "--format", "excel", "nope.csv"])
    assert result.exit_code == 2
    assert "unknown inventory format 'excel'" in result.stderr
    assert "house" in result.stderr and "gcp-sa-keys" in result.stderr


def test_wrong_forced_format_fails_cleanly(runner: CliRunner) -> None:
    """Forcing the credential-report reader on a house CSV names the missing column."""
    path = data("inventory/house.csv")
    result = runner.invoke(
        cli, ["inventory", "import", "--format", "aws-credential-report", str(path)]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}:1: user: not a credential report header")
