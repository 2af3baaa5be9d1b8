"""The demo's quarter audited once per module; each test gets its own copy of that database."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import select

from toolkit.audit import AuditRequest, run_audit
from toolkit.cli import cli
from toolkit.demo import DEMO_AS_OF
from toolkit.demo.inventory import write_demo_inventories
from toolkit.demo.logs import write_demo_logs
from toolkit.demo.tour import import_steps
from toolkit.store import open_store
from toolkit.store.tables import Key

RAN_AT = datetime(2026, 10, 1, 9, tzinfo=UTC)
SCAN = {
    "schema": "keyvigil.scan-results/1",
    "roots": ["app", "var/log/app"],
    "findings": [],
    "scanned": {"files": 40, "log_files": 3, "env_roots": 1, "config_files": 2},
}
"""A clean scan that read source files and log files (so the log rules have evidence)."""


def audit_demo(folder: Path) -> Path:
    """Import the demo inventories as the tour does, write its logs, audit with a clean scan."""
    db = folder / "demo.db"
    for step in import_steps(str(db), write_demo_inventories(folder / "inv")):
        result = CliRunner().invoke(cli, list(step.args))
        assert result.exit_code == 0, result.output
    store = open_store(f"sqlite:///{db}")
    with store.session() as session:
        keys = list(session.exec(select(Key)).all())
    logs = write_demo_logs(folder / "logs", keys)
    scan = folder / "scan.json"
    scan.write_text(json.dumps(SCAN), encoding="utf-8")
    request = AuditRequest(
        as_of=DEMO_AS_OF, logs=tuple(str(p) for p in logs), scan=scan, formats=()
    )
    run_audit(store, request, "auditor", RAN_AT)
    store.engine.dispose()
    return db


@pytest.fixture(scope="module")
def audited_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The audited demo database (built once per module; never written by tests)."""
    return audit_demo(tmp_path_factory.mktemp("demo-audit"))


@pytest.fixture
def demo_db(audited_demo: Path, tmp_path: Path) -> str:
    """A private copy of the audited demo database, as an SQLite URL."""
    copy = tmp_path / "keyvigil.db"
    with sqlite3.connect(audited_demo) as source, sqlite3.connect(copy) as target:
        source.backup(target)  # WAL content included, unlike a file copy
    return f"sqlite:///{copy}"
