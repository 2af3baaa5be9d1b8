"""The log files' SHA-256, worked out beside the log load, are the files' own, however named."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.audit.fixture import write_fixture
from toolkit.cli import cli

AS_OF = "2026-10-01T00:00:00Z"


def logged_inputs(runner: CliRunner, folder: Path, out: Path, *logs: str) -> list[dict]:
    """``audit run`` with these ``--logs`` values; the document's log input records."""
    args = ["audit", "run", "--db", f"sqlite:///{out / 'kv.db'}", "--as-of", AS_OF]
    args += ["--inventory", str(folder / "keys.csv"), "--out", str(out / "o")]
    for log in logs:
        args += ["--logs", log]
    result = runner.invoke(cli, args, catch_exceptions=False)
    assert result.exit_code in (0, 1), result.stderr
    (path,) = (out / "o").glob("*.json")
    return [
        i for i in json.loads(path.read_text(encoding="utf-8"))["inputs"] if i["kind"] == "logs"
    ]


@pytest.mark.parametrize("how", ["file", "glob", "folder", "file and glob"])
def test_log_digests_are_the_files_own(runner: CliRunner, tmp_path: Path, how: str) -> None:
    """A file named as such is hashed beside the load; one a glob or folder finds, after it."""
    write_fixture(tmp_path / "in")
    log = tmp_path / "in" / "access.jsonl"
    second = tmp_path / "in" / "more" / "other.jsonl"
    second.parent.mkdir()
    second.write_bytes(log.read_bytes()[: len(log.read_bytes()) // 2].rsplit(b"\n", 1)[0] + b"\n")
    logs, names = {
        "file": ([str(log)], {"access.jsonl"}),
        "glob": ([str(tmp_path / "in" / "*.jsonl")], {"access.jsonl"}),
        "folder": ([str(second.parent)], {"other.jsonl"}),
        "file and glob": (
            [str(log), str(second.parent / "*.jsonl")],
            {"access.jsonl", "other.jsonl"},
        ),
    }[how]
    found = logged_inputs(runner, tmp_path / "in", tmp_path, *logs)
    assert {Path(r["path"]).name for r in found} == names
    for record in found:
        assert record["sha256"] == hashlib.sha256(Path(record["path"]).read_bytes()).hexdigest()
