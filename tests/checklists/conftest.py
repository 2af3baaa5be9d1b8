"""The demo's quarter audited once per module; each test gets its own copy of that database."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from toolkit.audit import AuditRequest, run_audit
from toolkit.demo import DEMO_AS_OF
from toolkit.demo.inventory import write_demo_inventories
from toolkit.demo.logs import write_demo_logs
from toolkit.store import open_store
from toolkit.store.tables import Key

RAN_AT = datetime(2026, 10, 1, 9, tzinfo=UTC)
SCAN = {"schema": "keyvigil.scan-results/1", "roots": ["app", "var/log/app"], "findings": []}


def audit_demo(folder: Path) -> Path:
    """Import the demo inventories, write its logs, audit them with a clean scan; the db file."""
    db = folder / "demo.db"
    store = open_store(f"sqlite:///{db}")
    inventories = write_demo_inventories(folder / "inv")
    run_audit(store, AuditRequest(as_of=DEMO_AS_OF, inventories=tuple(inventories), formats=()),
              "auditor", RAN_AT)  # fmt: skip
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
    shutil.copyfile(audited_demo, copy)
    return f"sqlite:///{copy}"
