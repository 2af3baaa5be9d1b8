"""Report fixtures: the sample result document, a stored run, and one rendered PDF per session."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import data
from toolkit.audit.facts import HistoryPoint
from toolkit.audit.result import ResultDocument
from toolkit.audit.storage import save_run
from toolkit.reports.audit_report import RenderedReport, render_audit_report
from toolkit.reports.changes import change_since
from toolkit.reports.context import ReportOptions, RunFacts
from toolkit.store import Store, Waiver, open_store
from toolkit.trail import append

RUN_ID = "run-20261001-1a2b3c4d"
CREATED = datetime(2026, 10, 1, 6, 12, tzinfo=UTC)
HISTORY = (
    HistoryPoint("2026-04-01T00:00:00Z", {"soc2": {"fails": 6}, "gdpr": {"fails": 3}}),
    HistoryPoint("2026-07-01T00:00:00Z", {"soc2": {"fails": 4}, "gdpr": {"fails": 2}}),
)


def load_sample() -> ResultDocument:
    """The sample result document (tests/reports/docgen.py writes it)."""
    return ResultDocument.from_bytes(data("reports/sample_result.json").read_bytes())


def previous_of(doc: ResultDocument) -> ResultDocument:
    """An earlier document: five findings not yet there, one since resolved."""
    resolved = doc.findings[0].model_copy(update={"id": "resolved-1"})
    return doc.model_copy(update={"findings": [*doc.findings[5:], resolved]})


@pytest.fixture
def sample_doc() -> ResultDocument:
    """The sample result document (40 findings, four frameworks)."""
    return load_sample()


@pytest.fixture(scope="session")
def sample_report() -> RenderedReport:
    """The sample rendered once as a full PDF (rendering takes a few seconds)."""
    doc = load_sample()
    return render_audit_report(
        doc,
        RunFacts(RUN_ID, "2026-10-01T06:12:00Z", "auditor"),
        ReportOptions(),
        change=change_since(doc, previous_of(doc), "run-20260701-99aa77bb"),
        history=HISTORY,
        strict=True,
        when=CREATED,
    )


def _when(value: str) -> datetime:
    """A datetime from the document's ISO text."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def store_run(url: str, doc: ResultDocument, run_id: str = RUN_ID) -> Store:
    """A store holding ``doc`` as run ``run_id``."""
    store = open_store(url)
    with store.session() as session:
        for item in doc.waivers:
            if session.get(Waiver, item.id) is None:
                session.add(
                    Waiver(
                        id=item.id,
                        rule_id=item.rule_id,
                        key_pattern=item.key_pattern,
                        reason=item.reason,
                        owner=item.owner,
                        created_by="auditor",
                        expires_at=_when(item.expires_at or ""),
                        created_at=_when(item.created_at or ""),
                    )
                )
        session.flush()
        run = save_run(session, doc, doc.canonical(), run_id=run_id, actor="auditor", at=CREATED)
        payload = {"run_id": run_id, "result_sha256": run.result_sha256}
        append(session, actor="auditor", action="audit.run", payload=payload, at=CREATED)
    return store


@pytest.fixture(scope="module")
def pdf_in_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Path]:
    """A stored sample run and its report written through ``write_report`` (SQLite)."""
    from toolkit.reports.runs import write_report

    tmp_path = tmp_path_factory.mktemp("stored")
    store = store_run(f"sqlite:///{tmp_path / 'kv.db'}", load_sample())
    out = tmp_path / "report.pdf"
    write_report(store, RUN_ID, out, actor="auditor", at=CREATED)
    return store, out
