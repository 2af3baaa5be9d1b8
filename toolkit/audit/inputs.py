"""The audit's inputs: inventories parsed, logs loaded into the log backend, scan results."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from toolkit.analytics.interface import DailyCount, LoadOptions, LoadReport, LogBackend
from toolkit.errors import IngestError
from toolkit.ingest.inventory.importer import FileSummary
from toolkit.models import KeyBase
from toolkit.store.tables import ImportRecord
from toolkit.timeutil import isoformat


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in chunks (log files can be larger than memory)."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        raise IngestError(path, f"cannot read ({exc.strerror})") from None


def inventory_inputs(files: Sequence[FileSummary]) -> list[dict[str, Any]]:
    """Input records of the inventory files given on the command line."""
    return [
        {
            "kind": "inventory",
            "name": Path(f.path).name,
            "path": f.path,
            "sha256": f.sha256,
            "reader": f.reader,
            "records": f.rows,
        }
        for f in files
    ]


def stored_inventory_inputs(session: Session, keys: Sequence[KeyBase]) -> list[dict[str, Any]]:
    """Input records for keys imported earlier: the import each key's source file came from."""
    digests = sorted({k.source_sha256 for k in keys if k.source_sha256})
    if not digests:
        return []
    rows = session.exec(
        select(ImportRecord)
        .where(col(ImportRecord.sha256).in_(digests))
        .order_by(col(ImportRecord.imported_at).desc(), col(ImportRecord.id).desc())
    ).all()
    latest: dict[str, ImportRecord] = {}
    for row in rows:
        latest.setdefault(row.sha256, row)
    return [
        {
            "kind": "inventory",
            "name": Path(r.path).name,
            "path": r.path,
            "sha256": r.sha256,
            "reader": r.reader,
            "records": r.row_count,
        }
        for r in sorted(latest.values(), key=lambda r: (r.path, r.sha256))
    ]


def log_inputs(
    report: LoadReport, sha256: Callable[[Path], str] = file_sha256
) -> list[dict[str, Any]]:
    """Input records of the log files read, with their SHA-256 (``sha256``) and event counts."""
    return [
        {
            "kind": "logs",
            "name": Path(f.path).name,
            "path": f.path,
            "sha256": sha256(Path(f.path)),
            "reader": f.log_format,
            "records": f.events,
            "skipped": f.skipped,
        }
        for f in report.files
    ]


def scan_input(path: Path, records: int) -> dict[str, Any]:
    """The input record of a scan-results file."""
    return {
        "kind": "scan",
        "name": path.name,
        "path": str(path),
        "sha256": file_sha256(path),
        "reader": "keyvigil-scan",
        "records": records,
    }


def load_logs(
    backend: LogBackend,
    paths: Sequence[str],
    log_format: str | None,
    skip_bad_records: bool,
    assume_tz: str | None,
) -> LoadReport:
    """Read the access logs into the log backend (a pattern matching nothing fails first)."""
    return backend.load(paths, LoadOptions(log_format, skip_bad_records, assume_tz))


def logs_section(report: LoadReport, daily: Sequence[DailyCount]) -> dict[str, Any]:
    """The ``logs`` part of the document: span, counts, sources and daily series."""
    return {
        "start": isoformat(report.min_ts),
        "end": isoformat(report.max_ts),
        "events": report.events,
        "skipped": report.skipped,
        "sources": [
            {"path": f.path, "format": f.log_format, "events": f.events, "skipped": f.skipped}
            for f in report.files
        ],
        "events_daily": [{"day": d.day.isoformat(), "count": d.events} for d in daily],
        "failed_auth_daily": [{"day": d.day.isoformat(), "count": d.auth_failures} for d in daily],
    }
