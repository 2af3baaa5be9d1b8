"""Writing a run's outputs through the exporter registry, named ``<run-id><suffix>``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlmodel import Session

from toolkit.audit.diff import diff_documents
from toolkit.audit.storage import previous_run, run_document
from toolkit.errors import AuditError, UsageError
from toolkit.reports.exporters import EXPORTERS, RunMeta
from toolkit.store.tables import AuditRun

REPRODUCIBLE = ("json", "csv", "sarif", "oscal")
"""Formats that depend on the result document only (no run facts, no comparison)."""


def check_formats(formats: Sequence[str]) -> None:
    """Refuse format names no exporter is registered for (pdf/html only once the report exists)."""
    for name in formats:
        if name not in EXPORTERS:
            known = ", ".join(EXPORTERS)
            raise UsageError(
                f"--format: unknown or unavailable format {name!r} (available: {known})"
            )


def run_meta(session: Session, run: AuditRun, doc: dict[str, Any], compare: bool) -> RunMeta:
    """The run facts exporters get; the comparison with the previous run only when needed."""
    previous = previous_run(session, run) if compare else None
    return RunMeta(
        run_id=run.id,
        created_at=run.created_at,
        actor=run.actor,
        result_sha256=run.result_sha256 or "",
        previous_run_id=previous.id if previous else None,
        previous=diff_documents(run_document(previous), doc) if previous else None,
    )


def write_outputs(
    session: Session,
    run: AuditRun,
    doc: dict[str, Any],
    body: bytes,
    formats: Sequence[str],
    out_dir: Path,
) -> list[Path]:
    """Render every requested format into ``out_dir``; the JSON file is the stored bytes."""
    check_formats(formats)
    meta = run_meta(session, run, doc, compare=any(f not in REPRODUCIBLE for f in formats))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AuditError(f"--out: cannot create {out_dir} ({exc.strerror})") from None
    written = []
    for name in dict.fromkeys(formats):
        exporter = EXPORTERS[name]
        data = body if name == "json" else exporter.export(doc, meta)
        path = out_dir / f"{run.id}{exporter.suffix}"
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise AuditError(f"--out: cannot write {path} ({exc.strerror})") from None
        written.append(path)
    return written
