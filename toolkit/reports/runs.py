"""The audit report of a stored run: load it and its history, write the files, record the trail."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from toolkit.audit.facts import run_meta
from toolkit.audit.storage import get_run, run_bytes, run_document
from toolkit.errors import ReportError, UsageError
from toolkit.reports.audit_report import RenderedReport, render_run
from toolkit.reports.context import ReportOptions
from toolkit.reports.exporters import RENDERED
from toolkit.store import Store
from toolkit.trail import append

TRAIL_ACTION = "report.write"


@dataclass(frozen=True)
class WrittenReport:
    """What ``write_report`` wrote: the files, the run and the digests recorded in the trail."""

    run_id: str
    files: list[Path]
    pages: int | None
    pdf_sha256: str | None
    result_sha256: str


def render_stored(session: Session, ref: str, options: ReportOptions, pdf: bool) -> RenderedReport:
    """Render the report of stored run ``ref`` (id, unique prefix or ``latest``)."""
    run = get_run(session, ref)
    doc = run_document(run)
    meta = run_meta(session, run, doc, compare=True)
    return render_run(doc, meta, options, pdf=pdf, result=run_bytes(run))


def check_formats(formats: Sequence[str]) -> list[str]:
    """The formats, or UsageError naming the unknown one."""
    for name in formats:
        if name not in RENDERED:
            raise UsageError(
                f"--format: unknown format {name!r} (choose from {', '.join(RENDERED)})"
            )
    return list(dict.fromkeys(formats)) or ["pdf"]


def _write(path: Path, data: bytes) -> Path:
    """Write one file, or ReportError naming it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise ReportError(f"{path}: --out: cannot write ({exc.strerror})") from None
    return path


def write_report(
    store: Store,
    ref: str,
    out: Path,
    *,
    formats: Sequence[str] = ("pdf",),
    options: ReportOptions | None = None,
    actor: str,
    at: datetime,
) -> WrittenReport:
    """Render run ``ref`` to ``out`` (.pdf; .html beside it) and record it in the trail."""
    formats = check_formats(formats)
    options = options or ReportOptions()
    with store.session() as session:
        run = get_run(session, ref)
        report = render_stored(session, run.id, options, pdf="pdf" in formats)
        files = []
        if report.pdf is not None:
            files.append(_write(out.with_suffix(".pdf"), report.pdf))
        if "html" in formats:
            files.append(_write(out.with_suffix(".html"), report.html.encode("utf-8")))
        pdf_sha = hashlib.sha256(report.pdf).hexdigest() if report.pdf is not None else None
        result_sha = hashlib.sha256(report.result).hexdigest()
        record_report(session, run.id, report, files, options, actor=actor, at=at)
    return WrittenReport(run.id, files, report.pages, pdf_sha, result_sha)


def record_report(
    session: Session,
    run_id: str,
    report: RenderedReport,
    files: Sequence[Path],
    options: ReportOptions,
    *,
    actor: str,
    at: datetime,
) -> None:
    """Append the ``report.write`` trail entry: run id and the digests of what was written."""
    payload = {
        "run_id": run_id,
        "result_sha256": hashlib.sha256(report.result).hexdigest(),
        "pdf_sha256": hashlib.sha256(report.pdf).hexdigest() if report.pdf is not None else None,
        "html_sha256": hashlib.sha256(report.html.encode("utf-8")).hexdigest(),
        "files": [path.name for path in files],
        "audience": options.audience,
        "pages": report.pages,
    }
    append(session, actor=actor, action=TRAIL_ACTION, payload=payload, at=at)
