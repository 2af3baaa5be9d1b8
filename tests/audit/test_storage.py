"""A run is stored whole (row, findings, exact document bytes) and trailed, on both backends."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import inspect
from sqlmodel import select

from tests.audit.fixture import write_fixture
from toolkit.audit import AuditRequest, get_run, list_runs, previous_run, run_audit, run_bytes
from toolkit.reports.exporters import EXPORTERS
from toolkit.store import open_store
from toolkit.store.tables import FindingRow
from toolkit.trail import entries, verify

AS_OF = datetime(2026, 10, 1, tzinfo=UTC)
NOW = datetime(2026, 10, 2, 8, 0, tzinfo=UTC)


def test_run_is_stored_and_trailed(db_url: str, tmp_path: Path) -> None:
    """AuditRun with the document's bytes and digest, a FindingRow per finding, one trail entry."""
    inventory, logs = write_fixture(tmp_path / "in")
    store = open_store(db_url)
    request = AuditRequest(
        as_of=AS_OF,
        inventories=(inventory,),
        logs=(str(logs),),
        out_dir=tmp_path / "out",
        formats=("json", "oscal"),
    )
    outcome = run_audit(store, request, "auditor", NOW, writers=EXPORTERS)
    second = run_audit(store, request, "auditor", NOW.replace(hour=9), writers=EXPORTERS)
    with store.session() as session:
        run = get_run(session, outcome.run.id)
        assert run_bytes(run) == outcome.body == (tmp_path / "out" / f"{run.id}.json").read_bytes()
        assert run.result_sha256 == hashlib.sha256(outcome.body).hexdigest()
        assert run.as_of == AS_OF and run.actor == "auditor"
        rows = session.exec(select(FindingRow).where(FindingRow.run_id == run.id)).all()
        assert sorted(r.finding_id for r in rows) == sorted(f.id for f in outcome.document.findings)
        assert previous_run(session, get_run(session, second.run.id)).id == run.id
        assert second.run.scope_digest == run.scope_digest
        trail = [e for e in entries(session) if e.action == "audit.run"]
        assert verify(session).ok
    assert len(trail) == 2
    assert outcome.run.id in trail[0].payload and run.result_sha256 in trail[0].payload
    assert second.body == outcome.body
    with store.session() as session:  # listing and finding runs leaves their documents unread
        listed = [*list_runs(session), get_run(session, "latest"), get_run(session, run.id[:-1])]
        assert all("result_json" in inspect(r).unloaded for r in listed)
        assert run_bytes(listed[-1]) == outcome.body  # read when asked for, in the session


def test_scope_ignores_file_names_but_not_kinds_frameworks_or_policy() -> None:
    """Next quarter's export under a new name is the same scope; dropping the logs is not."""
    from tests.reports.docgen import sample_document
    from toolkit.audit.result import InputFile
    from toolkit.audit.storage import scope_digest

    def inputs(*files: tuple[str, str]) -> list[InputFile]:
        """Input records of these kinds and names."""
        return [
            InputFile(kind=kind, name=name, path=name, sha256="0" * 64, reader="r", records=1)
            for kind, name in files
        ]

    sample = sample_document()

    def digest(**fields: object) -> Any:
        """The scope digest of the sample document with these top-level fields."""
        return scope_digest(sample.model_copy(update=fields))

    base = {
        "frameworks_selected": ["soc2", "gdpr"],
        "policy_digest": "p1",
        "inputs": inputs(("inventory", "keys-q3.csv"), ("logs", "a.gz")),
    }
    renamed = base | {
        "frameworks_selected": ["gdpr", "soc2"],
        "inputs": inputs(("inventory", "keys-q4.csv"), ("logs", "b.gz")),
    }
    assert digest(**renamed) == digest(**base)
    assert digest(**base | {"inputs": base["inputs"][:1]}) != digest(**base)
    assert digest(**base | {"frameworks_selected": ["soc2"]}) != digest(**base)
    assert digest(**base | {"policy_digest": "p2"}) != digest(**base)
