"""The evidence store: files copied beside the database, named by SHA-256, made read-only."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import platformdirs
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from toolkit.errors import IncidentError
from toolkit.store.tables import Evidence
from toolkit.trail import append

ENV_EVIDENCE = "KEYVIGIL_EVIDENCE_DIR"
CHUNK = 1 << 20


@dataclass(frozen=True)
class EvidenceItem:
    """One piece of evidence: what it was called, its digest, who added it, whether it verifies."""

    id: int
    name: str
    sha256: str
    size: int
    note: str | None
    step_id: str | None
    added_at: datetime
    actor: str
    intact: bool | None = None


def evidence_dir(db_url: str) -> Path:
    """``KEYVIGIL_EVIDENCE_DIR``, else ``<db>-evidence`` beside an SQLite file, else data dir."""
    if os.environ.get(ENV_EVIDENCE):
        return Path(os.environ[ENV_EVIDENCE])
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        db = Path(str(url.database))
        return db.with_name(db.stem + "-evidence")
    return Path(platformdirs.user_data_dir("keyvigil", appauthor=False)) / "evidence"


def stored_path(root: Path, digest: str) -> Path:
    """Where the copy of content ``digest`` lives."""
    return root / "sha256" / digest[:2] / digest


def file_digest(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def store_file(root: Path, source: Path) -> tuple[str, int]:
    """Copy ``source`` into the store (once per content), read-only; return digest and size."""
    if not source.is_file():
        raise IncidentError(f"{source}: not a regular file")
    try:
        digest, size = file_digest(source)
        target = stored_path(root, digest)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
            os.close(fd)
            shutil.copyfile(source, tmp)
            os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP)
            os.replace(tmp, target)
    except OSError as exc:
        raise IncidentError(
            f"{source}: cannot copy into the evidence store ({exc.strerror})"
        ) from None
    return digest, size


def add_evidence(
    session: Session, root: Path, incident: tuple[int, str], source: Path, *,
    note: str | None, actor: str, at: datetime, step_id: str | None = None,
) -> EvidenceItem:  # fmt: skip
    """Store ``source`` and record it for the incident (id, ref) in the store and the trail."""
    digest, size = store_file(root, source)
    row = Evidence(
        incident_id=incident[0], step_id=step_id, path=source.name, sha256=digest, size=size,
        description=note, added_at=at, actor=actor,
    )  # fmt: skip
    session.add(row)
    session.flush()
    payload = {"incident": incident[1], "evidence": row.id, "name": source.name, "sha256": digest,
               "size": size, "note": note, "step": step_id}  # fmt: skip
    append(session, actor=actor, action="incident.evidence.added", payload=payload, at=at)
    return _item(row)


def list_evidence(
    session: Session, incident_id: int, root: Path | None = None
) -> list[EvidenceItem]:
    """The incident's evidence, oldest first; with ``root``, each copy re-hashed and compared."""
    rows = session.exec(
        select(Evidence).where(Evidence.incident_id == incident_id).order_by(Evidence.id)  # type: ignore[arg-type]
    ).all()
    return [_item(row, _intact(root, row.sha256) if root is not None else None) for row in rows]


def _intact(root: Path, digest: str) -> bool:
    """True when the stored copy exists and still hashes to its name."""
    path = stored_path(root, digest)
    try:
        return path.is_file() and file_digest(path)[0] == digest
    except OSError:
        return False


def _item(row: Evidence, intact: bool | None = None) -> EvidenceItem:
    """The frozen view of an evidence row."""
    assert row.id is not None
    return EvidenceItem(
        row.id, row.path, row.sha256, row.size, row.description, row.step_id, row.added_at,
        row.actor, intact,
    )  # fmt: skip
