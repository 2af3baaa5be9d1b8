"""Importing inventory files: read and check every file, then one transaction for them all."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from toolkit.errors import IngestError
from toolkit.ingest.inventory import detect_reader, reader_named
from toolkit.ingest.inventory.aws_match import match_access_keys
from toolkit.ingest.inventory.bounds import check_records
from toolkit.ingest.inventory.interface import KeyRecord, ReadOptions
from toolkit.ingest.inventory.upsert import (
    Ident,
    Progress,
    load_existing,
    plan_changes,
    write_changes,
)
from toolkit.process import collector_paused
from toolkit.store import Store
from toolkit.store.locks import hold_write_lock
from toolkit.store.tables import ImportRecord
from toolkit.trail import append


@dataclass
class FileSummary:
    """What one file held and what importing it changed."""

    path: str
    sha256: str
    reader: str
    rows: int
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    matched: int = 0
    already_imported: bool = False

    @property
    def changed(self) -> bool:
        """True when the file added, changed or matched any key."""
        return bool(self.inserted or self.updated or self.matched)


@dataclass
class ImportSummary:
    """The result of one ``inventory import`` command."""

    files: list[FileSummary]

    @property
    def changed(self) -> bool:
        """True when any file changed the database."""
        return any(f.changed for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {"changed": self.changed, "files": [asdict(f) for f in self.files]}


@dataclass
class ParsedFile:
    """A file read and checked, not yet written."""

    summary: FileSummary
    records: list[KeyRecord]


def read_file(path: Path) -> bytes:
    """The bytes of an input file; a missing file, a folder, a FIFO or an empty file is an error.

    The file is opened without blocking and checked to be a regular file before anything is
    read, so a FIFO or device named by mistake fails at once instead of waiting forever.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise IngestError(path, "no such file") from None
    except IsADirectoryError:
        raise IngestError(path, "is a directory, not a file") from None
    except PermissionError:
        raise IngestError(path, "permission denied") from None
    except OSError as exc:
        raise IngestError(path, f"cannot read ({_os_reason(exc)})") from None
    kind = _kind(os.fstat(fd).st_mode)
    if kind is not None:
        os.close(fd)
        noun = "file" if kind == "a directory" else "regular file"
        raise IngestError(path, f"is {kind}, not a {noun}")
    with os.fdopen(fd, "rb") as handle:
        try:
            data = handle.read()
        except OSError as exc:
            raise IngestError(path, f"cannot read ({_os_reason(exc)})") from None
    if not data.strip():
        raise IngestError(path, "empty file")
    return data


def _kind(mode: int) -> str | None:
    """What a non-regular file is (``a FIFO``, ``a directory``...), None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _os_reason(exc: OSError) -> str:
    """An OS error in words: a symbolic link loop is named as such."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return exc.strerror or type(exc).__name__


def parse_inventory(path: Path, options: ReadOptions, fmt: str | None = None) -> ParsedFile:
    """Read one file with the forced or sniffed reader; reject duplicate key ids."""
    data = read_file(path)
    reader = reader_named(fmt) if fmt else detect_reader(path, data)
    records = reader.read(path, data, options)
    check_records(path, records)
    digest = hashlib.sha256(data).hexdigest()
    seen: dict[tuple[str, str], Any] = {}
    name = path.name
    for record in records:
        where = record.get("_where")
        first = seen.setdefault((record["provider"], record["key_id"]), where)
        if first is not where:
            raise _duplicate(path, where, first)
        record["source_sha256"] = digest
        record["source_ref"] = f"{name} {where[0]} {where[1]}" if where else name
    summary = FileSummary(str(path), digest, reader.name, len(records))
    return ParsedFile(summary, records)


def _duplicate(path: Path, where: Any, first: Any) -> IngestError:
    """The error for a key id given twice in one file."""
    reason = f"duplicate key_id (first at {first[0]} {first[1]})"
    if where and where[0] == "line":
        return IngestError(path, reason, line=where[1], field="key_id")
    return IngestError(path, reason, record=where[1] if where else None, field="key_id")


def import_inventories(
    store: Store,
    paths: Sequence[Path],
    options: ReadOptions,
    actor: str,
    at: datetime,
    fmt: str | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import the files in one transaction: all of them, or (on any error) none."""
    if fmt:
        reader_named(fmt)  # an unknown --format is reported before any file is read
    with collector_paused():
        parsed = [parse_inventory(Path(path), options, fmt) for path in paths]
        with store.session() as session:
            apply_import(session, parsed, actor, at, progress)
        summaries = [p.summary for p in parsed]
        del parsed  # the records go while the collector still sleeps: it need not walk them
    return ImportSummary(summaries)


def apply_import(
    session: Session,
    parsed: list[ParsedFile],
    actor: str,
    at: datetime,
    progress: Progress | None = None,
) -> None:
    """Upsert every file's records, match AWS ids, record the imports and trail entries.

    The writers' lock comes first: the existing keys read next must stay what is written over.
    """
    hold_write_lock(session)
    records: dict[tuple[str, str], KeyRecord] = {}
    for index, item in enumerate(parsed):
        for record in item.records:
            record["_file"] = index
            key = (record["provider"], record["key_id"])
            earlier = records.get(key)
            records[key] = record if earlier is None else _overlay(earlier, record)
    existing = load_existing(session, {provider for provider, _ in records})
    merged, deletes = match_access_keys(list(records.values()), existing)
    plan = plan_changes(merged, existing, at)
    plan.deletes.extend(deletes)
    _count_outcomes(parsed, merged, plan.outcome)
    write_changes(session, plan, progress)
    known = set(session.execute(select(col(ImportRecord.sha256), col(ImportRecord.reader))).all())
    for item in parsed:
        _record_import(session, item.summary, known, actor, at)


def _count_outcomes(
    parsed: list[ParsedFile], merged: list[KeyRecord], outcomes: dict[Ident, str]
) -> None:
    """Add each record's outcome (inserted, updated, unchanged; matched) to its file's summary."""
    counts: Counter[tuple[int, str]] = Counter()
    for record in merged:
        outcome = outcomes[record["provider"], record["key_id"]]
        counts[record["_file"], outcome] += 1
        attributes = record.get("attributes")
        if attributes and "placeholder_id" in attributes and outcome != "unchanged":
            counts[record["_file"], "matched"] += 1
    for (index, outcome), count in counts.items():
        summary = parsed[index].summary
        setattr(summary, outcome, getattr(summary, outcome) + count)


def _overlay(earlier: KeyRecord, later: KeyRecord) -> KeyRecord:
    """One key named by two files of one import: the later file's known fields win."""
    attributes = {**(earlier.get("attributes") or {}), **(later.get("attributes") or {})}
    return {**earlier, **later, "attributes": attributes or None}


def _record_import(
    session: Session, summary: FileSummary, known: set[Any], actor: str, at: datetime
) -> None:
    """An ImportRecord and a trail entry, unless this same file was imported and changed nothing."""
    summary.already_imported = (summary.sha256, summary.reader) in known
    if summary.already_imported and not summary.changed:
        return
    session.add(
        ImportRecord(
            path=summary.path,
            sha256=summary.sha256,
            reader=summary.reader,
            kind="inventory",
            row_count=summary.rows,
            imported_at=at,
            actor=actor,
        )
    )
    payload = asdict(summary)
    payload.pop("already_imported")
    append(session, actor=actor, action="inventory.import", payload=payload, at=at)
    known.add((summary.sha256, summary.reader))
