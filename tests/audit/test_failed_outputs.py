"""What a run leaves when storing it or writing its outputs fails: a failed store writes no file;
a failed renderer leaves the files before it and stores nothing; an output folder that cannot be
made stores nothing. Real stores, real exporters."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from tests.audit.fixture import write_fixture
from toolkit.audit import AuditRequest, run_audit
from toolkit.errors import AuditError
from toolkit.reports.exporters import EXPORTERS, Document, Exporter, RunMeta
from toolkit.store import Store, open_store
from toolkit.store.tables import AuditRun, Key
from toolkit.trail import entries

AS_OF = datetime(2026, 10, 1, tzinfo=UTC)
NOW = datetime(2026, 10, 2, 8, 0, tzinfo=UTC)


def failing(_doc: Document, _meta: RunMeta) -> bytes:
    """A renderer that fails."""
    raise ValueError("the broken renderer failed")


BROKEN = Exporter(name="broken", suffix=".broken", media_type="text/plain", export=failing)
WRITERS = {**EXPORTERS, "broken": BROKEN}


def request(folder: Path, out: Path, formats: tuple[str, ...]) -> AuditRequest:
    """An audit of the fixture's inventory and logs, writing ``formats`` into ``out``."""
    inventory, logs = write_fixture(folder / "in")
    return AuditRequest(
        as_of=AS_OF, inventories=(inventory,), logs=(str(logs),), out_dir=out, formats=formats
    )


def stored(store: Store) -> tuple[int, int, int]:
    """Runs, keys and trail entries in the store."""
    with store.read_session() as session:
        runs = session.exec(select(func.count()).select_from(AuditRun)).one()
        keys = session.exec(select(func.count()).select_from(Key)).one()
        return runs, keys, len(entries(session))


def test_a_failed_renderer_stores_nothing_and_leaves_the_files_before_it(
    db_url: str, tmp_path: Path
) -> None:
    """json, then a renderer that fails, then csv: the JSON file only, and nothing stored."""
    store = open_store(db_url)
    out = tmp_path / "out"
    with pytest.raises(ValueError, match="the broken renderer failed"):
        run_audit(
            store, request(tmp_path, out, ("json", "broken", "csv")), "a", NOW, writers=WRITERS
        )
    assert [p.suffix for p in out.iterdir()] == [".json"]
    assert stored(store) == (0, 0, 0)


def test_a_failed_store_writes_no_file(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second run under the first one's id fails in the database: its outputs are not written."""
    store = open_store(db_url)
    first = run_audit(store, request(tmp_path, tmp_path / "first", ()), "a", NOW, writers=WRITERS)
    before = stored(store)
    monkeypatch.setattr("toolkit.audit.run.new_run_id", lambda _as_of: first.run.id)
    out = tmp_path / "second"
    with pytest.raises(IntegrityError):
        run_audit(
            store, request(tmp_path, out, ("json", "csv", "sarif")), "a", NOW, writers=WRITERS
        )
    assert not out.exists()
    assert stored(store) == before


def test_an_output_folder_that_cannot_be_made_stores_nothing(db_url: str, tmp_path: Path) -> None:
    """``--out`` naming a file: the error names it, and neither run nor keys are stored."""
    store = open_store(db_url)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    with pytest.raises(AuditError, match="--out: cannot create .*a-file"):
        run_audit(store, request(tmp_path, blocker, ("json", "csv")), "a", NOW, writers=WRITERS)
    assert stored(store) == (0, 0, 0)
