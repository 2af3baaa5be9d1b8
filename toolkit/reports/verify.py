"""Is this PDF the report its audit run produced? Embedded result, metadata, database and trail."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import stat
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, StreamObject
from sqlmodel import Session

from toolkit.audit.result import ResultDocument
from toolkit.errors import ReportError
from toolkit.reports.audit_report import CSV_NAME, RESULT_NAME
from toolkit.reports.findings_csv import findings_csv
from toolkit.reports.runs import TRAIL_ACTION
from toolkit.store import Store
from toolkit.store.tables import AuditRun
from toolkit.trail import entries, verify
from toolkit.trail.coverage import recorded_runs

RUN_KEY = "/keyvigilrunid"
DIGEST_KEY = "/keyvigilresultsha256"


@dataclass(frozen=True)
class Check:
    """One comparison: its name, whether it held, and what was compared."""

    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class EmbeddedReport:
    """What a report PDF carries: run id and digest from its metadata, its attachments."""

    pdf_sha256: str
    run_id: str | None
    result_sha256: str | None
    pdfa: bool
    attachments: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class VerifyResult:
    """The verdict: genuine only when every check holds."""

    path: str
    run_id: str | None
    checks: list[Check]

    @property
    def ok(self) -> bool:
        """True when every check held."""
        return bool(self.checks) and all(check.ok for check in self.checks)

    def failures(self) -> list[Check]:
        """The checks that did not hold."""
        return [check for check in self.checks if not check.ok]


def read_report(path: Path) -> EmbeddedReport:
    """Read a report PDF's metadata and attachments, or ReportError naming the file.

    pypdf's own warnings and log lines about a damaged file are kept off the terminal: the
    verdict (or the one-line error) is the whole answer.
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise ReportError(f"{path}: not a regular file (a FIFO, device or folder)")
        data = path.read_bytes()
        with _quiet_pypdf():
            info, attachments, pdfa = _parse(data)
    except (ReportError, MemoryError):
        raise
    except (OSError, RecursionError) as exc:
        raise ReportError(f"{path}: not a readable PDF ({type(exc).__name__})") from None
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on damaged input
        raise ReportError(f"{path}: not a readable PDF ({type(exc).__name__})") from None
    return EmbeddedReport(
        pdf_sha256=hashlib.sha256(data).hexdigest(),
        run_id=_text(info.get(RUN_KEY)),
        result_sha256=_text(info.get(DIGEST_KEY)),
        pdfa=pdfa,
        attachments=attachments,
    )


def _parse(data: bytes) -> tuple[dict[str, Any], dict[str, bytes], bool]:
    """(document info, attachments by name, PDF/A declared) of a PDF's bytes."""
    reader = PdfReader(io.BytesIO(data), strict=False)
    info = dict(reader.metadata or {})
    attachments = {name: items[0] for name, items in reader.attachments.items() if items}
    return info, attachments, _pdfa(reader)


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Silence pypdf's warnings and log records for the duration."""
    logger = logging.getLogger("pypdf")  # its modules log under pypdf.*, inheriting this level
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _pdfa(reader: PdfReader) -> bool:
    """True when the XMP metadata declares a PDF/A part."""
    root = reader.trailer["/Root"].get_object()
    stream = root.get("/Metadata") if isinstance(root, DictionaryObject) else None
    if stream is None:
        return False
    metadata = stream.get_object()
    return isinstance(metadata, StreamObject) and b"pdfaid:part" in metadata.get_data()


def _text(value: Any) -> str | None:
    """A metadata value as text (None when absent or empty)."""
    return str(value) if value else None


def _run_checks(session: Session, report: EmbeddedReport, digest: str) -> list[Check]:
    """Compare with the stored run and with the trail entries written for it."""
    run = session.get(AuditRun, report.run_id) if report.run_id else None
    if run is None:
        return [Check("run", False, f"no audit run {report.run_id!r} in this database")]
    checks = [
        Check(
            "run",
            run.result_sha256 == digest,
            f"run {run.id} result_sha256 {run.result_sha256} vs embedded {digest}",
        )
    ]
    checks.append(_recorded_check(session, run.id, digest))
    chain = verify(session)
    checks.append(Check("trail-chain", chain.ok, chain.problem or f"{chain.count} entries intact"))
    written = _written_digests(session, run.id)
    checks.append(
        Check(
            "trail",
            report.pdf_sha256 in written,
            f"file sha256 {report.pdf_sha256} "
            + (
                "recorded in the trail"
                if report.pdf_sha256 in written
                else f"matches none of the {len(written)} report(s) the trail records for {run.id}"
            ),
        )
    )
    return checks


def _recorded_check(session: Session, run_id: str, digest: str) -> Check:
    """The embedded result against the digest the run's own ``audit.run`` trail entry recorded
    when the run was made: rewriting the stored run (and its ``result_sha256``) cannot change it."""
    recorded = recorded_runs(session)
    if run_id not in recorded:
        return Check("trail-run", False, f"the trail holds no audit.run entry for {run_id}")
    same = recorded[run_id] == digest
    detail = f"audit.run entry recorded {recorded[run_id]} vs embedded {digest}"
    return Check("trail-run", same, detail)


def _written_digests(session: Session, run_id: str) -> set[str]:
    """SHA-256 of every PDF the trail says was written for ``run_id``."""
    digests: set[str] = set()
    for entry in entries(session):
        payload = json.loads(entry.payload)
        if entry.action == TRAIL_ACTION and payload.get("run_id") == run_id:
            digests.add(payload.get("pdf_sha256") or "")
        elif entry.action == "audit.run" and payload.get("run_id") == run_id:
            digests.update(
                o.get("sha256", "")
                for o in payload.get("outputs", [])
                if str(o.get("name", "")).endswith(".pdf")
            )
    return digests


def _content_checks(report: EmbeddedReport) -> tuple[list[Check], str | None]:
    """Attachments present, embedded result matching the metadata digest, CSV matching it."""
    result = report.attachments.get(RESULT_NAME)
    if result is None:
        return [Check("attachment", False, f"{RESULT_NAME} is not attached")], None
    digest = hashlib.sha256(result).hexdigest()
    checks = [
        Check("pdfa", report.pdfa, "PDF/A identification in XMP metadata"),
        Check(
            "metadata",
            digest == report.result_sha256,
            f"metadata result sha256 {report.result_sha256} vs embedded {digest}",
        ),
    ]
    try:
        expected = findings_csv(ResultDocument.from_bytes(result))
    except ValidationError:
        return [*checks, Check("csv", False, f"{RESULT_NAME} is not a result document")], digest
    same = report.attachments.get(CSV_NAME) == expected
    checks.append(
        Check("csv", same, f"{CSV_NAME} {'matches' if same else 'differs from'} the result")
    )
    return checks, digest


def verify_report(pdf_path: Path, store: Store) -> VerifyResult:
    """Check a report PDF against its metadata, the run in ``store`` and the trail."""
    report = read_report(Path(pdf_path))
    checks, digest = _content_checks(report)
    if digest is not None:
        with store.read_session() as session:
            checks += _run_checks(session, report, digest)
    return VerifyResult(str(pdf_path), report.run_id, checks)
