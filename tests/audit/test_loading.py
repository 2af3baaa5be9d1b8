"""Beside the log load: the log files' SHA-256 are the files' own, however named, and an
inventory error comes first and stops the load."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.audit.fixture import write_fixture
from toolkit.analytics.interface import LoadOptions, LoadReport
from toolkit.audit import loading
from toolkit.audit.request import AuditRequest
from toolkit.cli import cli
from toolkit.errors import IngestError

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
        real = {p.name: p for p in (tmp_path / "in").rglob("*.jsonl")}  # paths shown relative
        body = real[Path(record["path"]).name].read_bytes()
        assert record["sha256"] == hashlib.sha256(body).hexdigest()


def test_an_inventory_error_comes_before_a_log_error(runner: CliRunner, tmp_path: Path) -> None:
    """Both inputs bad: the inventory (given first) is named, and nothing is stored."""
    inventory, log = write_fixture(tmp_path / "in")
    inventory.write_text("key_id,created_at\nk1,not a date\n", encoding="utf-8")
    log.write_text('{"ts": "2026-09-01T00:00:00Z", "key_id": "k1"}\n', encoding="utf-8")
    db = tmp_path / "kv.db"
    args = ["audit", "run", "--db", f"sqlite:///{db}", "--as-of", AS_OF]
    args += ["--inventory", str(inventory), "--logs", str(log), "--out", str(tmp_path / "o")]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"Error: {inventory}:2: created_at:"), result.stderr
    listed = runner.invoke(cli, ["audit", "list", "--db", f"sqlite:///{db}", "--json"])
    assert json.loads(listed.stdout) == []


class SlowLoad:
    """A log engine whose load runs until it is interrupted (or 30 s pass)."""

    name = "slow"

    def __init__(self) -> None:
        """Not interrupted yet."""
        self.stop = threading.Event()
        self.interrupted = False

    def load(self, paths: Sequence[str | Path], options: LoadOptions) -> LoadReport:
        """Wait for an interrupt; fail as an interrupted engine does."""
        if self.stop.wait(timeout=30):
            raise RuntimeError("interrupted")
        raise AssertionError("the load was never interrupted")

    def interrupt(self) -> None:
        """Stop the waiting load."""
        self.interrupted = True
        self.stop.set()

    def close(self) -> None:
        """Nothing to free."""


def test_a_failed_inventory_parse_stops_the_log_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """The load beside the parse is interrupted, not waited out, and its error is dropped."""
    engine = SlowLoad()
    monkeypatch.setattr(loading, "open_backend", lambda: engine)
    request = AuditRequest(as_of=datetime(2026, 10, 1, tzinfo=UTC), logs=("/nowhere.jsonl",))
    with (
        pytest.raises(IngestError, match="bad inventory"),
        loading.logs_loading(request) as pending,
    ):
        with pending.before():
            raise IngestError("keys.csv", "bad inventory")
    assert engine.interrupted
