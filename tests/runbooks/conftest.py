"""A database holding the demo inventory, and the demo quarter's access logs, for incident tests."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from toolkit.cli import cli
from toolkit.demo import tour
from toolkit.store import open_store

AS_OF = "2026-10-01T08:00:00Z"


@dataclass(frozen=True)
class DemoData:
    """The template database file and the demo's log files."""

    db: Path
    logs: tuple[Path, ...]


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> DemoData:
    """Import the demo inventories once, then write the logs that follow the stored keys."""
    out = tmp_path_factory.mktemp("incident-demo")
    db = out / "template.db"
    inputs = tour.write_inputs(out)
    runner = CliRunner(env={"KEYVIGIL_ACTOR": "setup"})
    for step in tour.import_steps(str(db), inputs.inventories):
        if step.args[:2] == ("inventory", "import"):
            result = runner.invoke(cli, list(step.args))
            assert result.exit_code == 0, result.output
    store = open_store(f"sqlite:///{db}")
    logs = tour.write_logs(tour.stored_keys(store), inputs.logs_dir)
    store.engine.dispose()
    return DemoData(db, tuple(logs))


def _copy_database(source: Path, target: Path) -> None:
    """Copy an SQLite database with its backup API (a WAL file's pages included)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


@dataclass(frozen=True)
class Workspace:
    """A fresh copy of the demo database and a folder to work in."""

    db: Path
    folder: Path
    logs: tuple[Path, ...]
    runner: CliRunner

    def invoke(self, *args: str) -> Result:
        """Run keyvigil on this database (stdout and stderr kept apart)."""
        return self.runner.invoke(cli, [*args, "--db", str(self.db)])


@pytest.fixture
def workspace(
    demo_data: DemoData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Workspace]:
    """A private copy of the demo database; evidence goes beside it."""
    db = tmp_path / "keyvigil.db"
    _copy_database(demo_data.db, db)
    monkeypatch.delenv("KEYVIGIL_EVIDENCE_DIR", raising=False)
    monkeypatch.delenv("KEYVIGIL_PLAYBOOKS", raising=False)
    monkeypatch.setenv("KEYVIGIL_ACTOR", "alice")
    yield Workspace(db, tmp_path, demo_data.logs, CliRunner())
