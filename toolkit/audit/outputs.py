"""Writing a run's outputs through the writers the caller hands in, named ``<run-id><suffix>``.

The audit does not know its output formats: the CLI (or any caller) passes the exporter
registry (``toolkit.reports.exporters.EXPORTERS``) as ``writers``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlmodel import Session

from toolkit.audit.facts import RunMeta, run_meta
from toolkit.audit.result import ResultDocument
from toolkit.errors import AuditError, UsageError
from toolkit.store.tables import AuditRun


class OutputWriter(Protocol):
    """One output format: a suffix, whether it prints run facts, and its renderer."""

    @property
    def suffix(self) -> str:
        """The file suffix, with its dot."""

    @property
    def needs_run_facts(self) -> bool:
        """True when the output prints run id, time, actor and earlier runs (not reproducible)."""

    def export(self, doc: ResultDocument, run: RunMeta) -> bytes:
        """The file's bytes."""


Writers = Mapping[str, OutputWriter]


@dataclass(frozen=True)
class WrittenFile:
    """One output written: where, and the SHA-256 of its bytes (for the trail)."""

    path: Path
    sha256: str


def check_formats(formats: Sequence[str], writers: Writers) -> None:
    """Refuse format names no writer is given for."""
    for name in formats:
        if name not in writers:
            known = ", ".join(writers) or "none"
            raise UsageError(
                f"--format: unknown or unavailable format {name!r} (available: {known})"
            )


def write_outputs(
    session: Session,
    run: AuditRun,
    doc: ResultDocument,
    body: bytes,
    formats: Sequence[str],
    out_dir: Path,
    writers: Writers,
) -> list[WrittenFile]:
    """Render every requested format into ``out_dir``; the JSON file is the stored bytes."""
    check_formats(formats, writers)
    chosen = {name: writers[name] for name in dict.fromkeys(formats)}
    meta = run_meta(session, run, doc, compare=any(w.needs_run_facts for w in chosen.values()))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AuditError(f"--out: cannot create {out_dir} ({exc.strerror})") from None
    written = []
    for name, writer in chosen.items():
        data = body if name == "json" else writer.export(doc, meta)
        path = out_dir / f"{run.id}{writer.suffix}"
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise AuditError(f"--out: cannot write {path} ({exc.strerror})") from None
        known = run.result_sha256 if data is body else None  # the stored bytes' digest
        written.append(WrittenFile(path, known or hashlib.sha256(data).hexdigest()))
    return written
