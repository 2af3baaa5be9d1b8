"""The audit's inputs: inventories parsed, logs loaded into the log backend, scan results."""

from __future__ import annotations

import glob
import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session, col, select

from toolkit.analytics.interface import DailyCount, LoadOptions, LoadReport, LogBackend
from toolkit.audit.result import DayCount, ExtractedBasis, InputFile, LogSource, LogsSection
from toolkit.errors import IngestError
from toolkit.ingest.inventory.importer import FileSummary
from toolkit.models import KeyBase
from toolkit.scan.audit import ScannedFolder
from toolkit.store.tables import ImportRecord
from toolkit.timeutil import isoformat


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in chunks (log files can be larger than memory)."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        raise IngestError(path, f"cannot read ({exc.strerror})") from None


def shown_path(path: str, given: Sequence[str | Path]) -> str:
    """A file's path as reports show it: relative to the folder or glob it was found in
    (starting with that folder's name), else its name; never the machine's absolute path."""
    target = os.path.abspath(path)
    for item in given:
        text = str(item)
        base = text if os.path.isdir(text) else _glob_base(text)
        if base is None:
            continue
        root = os.path.abspath(base)
        if target.startswith(root.rstrip(os.sep) + os.sep):
            below = os.path.relpath(target, root)
            name = os.path.basename(root)
            return f"{name}/{below}" if name else below
    return os.path.basename(path) or path


def _glob_base(text: str) -> str | None:
    """The folder part of a glob before its first wildcard; None for a plain file name."""
    if os.path.lexists(text) or not glob.has_magic(text):
        return None
    parts: list[str] = []
    for part in Path(text).parts:
        if glob.has_magic(part):
            break
        parts.append(part)
    return os.path.join(*parts) if parts else "."


def shown_roots(roots: Sequence[str]) -> list[str]:
    """Scanned folders as reports show them: below the parent of the folder they share."""
    if not roots:
        return []
    absolute = [os.path.abspath(r) for r in roots]
    base = os.path.dirname(os.path.commonpath(absolute))  # shown from the shared folder's name
    return [os.path.relpath(r, base) for r in absolute]


def shown_paths(files: Sequence[str], given: Sequence[str | Path]) -> dict[str, str]:
    """Path -> shown path for every file read from the inputs ``given``."""
    return {path: shown_path(path, given) for path in files}


def extracted(summary: FileSummary, stated: Mapping[str, str]) -> tuple[str | None, ExtractedBasis]:
    """When an inventory file was extracted: as the file states it, else its modification time."""
    if stated.get(summary.sha256):
        return stated[summary.sha256], "stated in the file"
    mtime = datetime.fromtimestamp(os.stat(summary.path).st_mtime, UTC)
    return isoformat(mtime.replace(microsecond=0)), "file modification time"


def inventory_inputs(files: Sequence[FileSummary], keys: Sequence[KeyBase] = ()) -> list[InputFile]:
    """Input records of the inventory files given on the command line; ``keys`` (those
    imported) may carry when a file was extracted, as the file stated it."""
    stated = stated_extraction(keys, {f.sha256 for f in files if f.reader in STATES_EXTRACTION})
    return [inventory_input(f, stated) for f in files]


def inventory_input(summary: FileSummary, stated: Mapping[str, str]) -> InputFile:
    """The input record of one inventory file, with when it was extracted."""
    at, basis = extracted(summary, stated)
    return inventory_record(summary.path, summary.sha256, summary.reader, summary.rows, at, basis)


def inventory_record(
    path: str, sha256: str, reader: str, records: int, at: str | None, basis: ExtractedBasis
) -> InputFile:
    """An inventory's input record: shown by its file name, with when it was extracted."""
    name = Path(path).name
    return InputFile(
        extracted_at=at,
        extracted_basis=basis,
        kind="inventory",
        name=name,
        path=name,
        sha256=sha256,
        reader=reader,
        records=records,
    )


STATES_EXTRACTION = frozenset({"aws-credential-report"})
"""Inventory readers whose files state when they were extracted (``GeneratedTime``)."""


def stated_extraction(keys: Sequence[KeyBase], digests: set[str]) -> dict[str, str]:
    """File digest -> the extraction time its keys carry (one time shared by all its keys)."""
    times: dict[str, set[str | None]] = {}
    for key in keys:
        if key.source_sha256 in digests:
            stated = (key.attributes or {}).get("report_generated_at")
            times.setdefault(key.source_sha256, set()).add(stated)
    return {d: t for d, found in times.items() if len(found) == 1 and (t := next(iter(found)))}


def stored_inventory_inputs(session: Session, keys: Sequence[KeyBase]) -> list[InputFile]:
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
    stated = stated_extraction(keys, {r.sha256 for r in rows if r.reader in STATES_EXTRACTION})
    return [
        inventory_record(
            r.path,
            r.sha256,
            r.reader,
            r.row_count,
            stated.get(r.sha256) or isoformat(r.imported_at),
            "stated in the file" if stated.get(r.sha256) else "import time",
        )
        for r in sorted(latest.values(), key=lambda r: (r.path, r.sha256))
    ]


def log_inputs(
    report: LoadReport, shown: Mapping[str, str], sha256: Callable[[Path], str] = file_sha256
) -> list[InputFile]:
    """Input records of the log files read, with their SHA-256 (``sha256``) and event counts."""
    return [
        InputFile(
            kind="logs",
            name=Path(f.path).name,
            path=shown.get(f.path, Path(f.path).name),
            sha256=sha256(Path(f.path)),
            reader=f.log_format,
            records=f.events,
            skipped=f.skipped,
        )
        for f in report.files
    ]


def scan_input(path: Path, records: int) -> InputFile:
    """The input record of a scan-results file."""
    return scan_record(path.name, file_sha256(path), "keyvigil-scan", records)


def scanned_input(scanned: ScannedFolder) -> InputFile:
    """The input record of a folder scanned during the audit (its results' SHA-256)."""
    reader = "keyvigil-scan (scanned during the audit)"
    return scan_record(scanned.name, scanned.sha256, reader, scanned.findings)


def scan_record(name: str, sha256: str, reader: str, records: int) -> InputFile:
    """A scan's input record: shown by its name (a file's, or the folder's given)."""
    return InputFile(
        kind="scan", name=name, path=name, sha256=sha256, reader=reader, records=records
    )


def load_logs(
    backend: LogBackend,
    paths: Sequence[str],
    log_format: str | None,
    skip_bad_records: bool,
    assume_tz: str | None,
) -> LoadReport:
    """Read the access logs into the log backend (a pattern matching nothing fails first)."""
    return backend.load(paths, LoadOptions(log_format, skip_bad_records, assume_tz))


def logs_section(
    report: LoadReport, daily: Sequence[DailyCount], shown: Mapping[str, str]
) -> LogsSection:
    """The ``logs`` part of the document: span, counts, sources and daily series."""
    return LogsSection(
        start=isoformat(report.min_ts),
        end=isoformat(report.max_ts),
        events=report.events,
        skipped=report.skipped,
        sources=[
            LogSource(
                path=shown.get(f.path, Path(f.path).name),
                format=f.log_format,
                events=f.events,
                skipped=f.skipped,
            )
            for f in report.files
        ],
        events_daily=[DayCount(day=d.day.isoformat(), count=d.events) for d in daily],
        failed_auth_daily=[DayCount(day=d.day.isoformat(), count=d.auth_failures) for d in daily],
    )
