"""The notebook API (``toolkit.api``): docs/api.md's examples run, and the values are the runs'."""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.audit.fixture import write_fixture
from toolkit.api import open_database
from toolkit.audit.storage import get_run, run_document
from toolkit.cli import cli
from toolkit.errors import AuditError, StoreError
from toolkit.store import open_store

DOCS = Path(__file__).resolve().parents[1] / "docs" / "api.md"


def two_runs(folder: Path, db: str) -> None:
    """The audit fixture audited, then audited again after k-prod-old was rotated."""
    runner = CliRunner(env={"KEYVIGIL_DB": db, "KEYVIGIL_ACTOR": "auditor"})
    for name, rotated in (("before", None), ("after", {"k-prod-old": "2026-09-15"})):
        inventory, logs = write_fixture(folder / name, rotated)
        args = ["audit", "run", "--inventory", str(inventory), "--logs", str(logs)]
        result = runner.invoke(cli, [*args, "--as-of", "2026-10-01", "--out", str(folder / "o")])
        assert result.exit_code == 0, result.output


@contextlib.contextmanager
def inside(folder: Path) -> Iterator[None]:
    """Work in ``folder``."""
    previous = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


def python_blocks(text: str) -> list[str]:
    """The ```python blocks of a Markdown text, in order."""
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_docs_examples_run(tmp_path: Path) -> None:
    """Every Python example of docs/api.md runs, in order, against a database of two runs."""
    two_runs(tmp_path, str(tmp_path / "keyvigil.db"))
    blocks = python_blocks(DOCS.read_text(encoding="utf-8"))
    assert len(blocks) >= 4
    namespace: dict[str, object] = {}
    printed = io.StringIO()
    with inside(tmp_path), contextlib.redirect_stdout(printed):
        for block in blocks:
            exec(compile(block, str(DOCS), "exec"), namespace)  # noqa: S102 - our own docs
    text = printed.getvalue()
    assert "0 new, 1 resolved, 8 persisting" in text
    assert "resolved: rotation-overdue k-prod-old" in text


def test_values_are_the_stored_documents(db_url: str, tmp_path: Path) -> None:
    """On SQLite and PostgreSQL: runs newest first; findings, keys, usage, controls as stored."""
    two_runs(tmp_path, db_url)
    db = open_database(db_url)
    runs = db.runs()
    assert len(runs) == 2 and runs[0].created_at >= runs[1].created_at
    run = db.run(runs[1].id)
    with open_store(db_url).session() as session:
        doc = run_document(get_run(session, runs[1].id))
    assert run.document == doc
    assert run.findings == doc.findings and runs[1].findings == len(doc.findings)
    findings = run.findings_frame()
    assert list(findings["id"]) == [f.id for f in doc.findings]
    assert set(findings.columns) >= {"severity", "rule_id", "owner", "waiver_state", "evidence"}
    assert set(findings.columns) >= {"response_owner", "response_due", "response_overdue"}
    keys = run.keys_frame()
    assert list(keys["key_id"]) == [k.key_id for k in doc.keys]
    assert "fingerprint" not in keys.columns and "fingerprint_prefix" in keys.columns
    assert len(run.usage_frame()) == len(doc.usage) > 0
    controls = run.controls_frame()
    assert len(controls) == sum(len(fw.controls) for fw in doc.frameworks)
    assert set(controls["framework"]) == set(doc.frameworks_selected)


def test_bad_references_are_typed_errors(tmp_path: Path) -> None:
    """A missing file is not silently created; an unknown run names itself."""
    with pytest.raises(StoreError, match="no such database file"):
        open_database(tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()
    two_runs(tmp_path, str(tmp_path / "kv.db"))
    with pytest.raises(AuditError, match="no audit run 'run-nope'"):
        open_database(tmp_path / "kv.db").run("run-nope")
