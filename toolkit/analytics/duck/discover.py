"""Which files a load reads and how: paths, globs and folders expanded, each file sniffed for
its reader, and files grouped so that one SQL statement reads each group."""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from pathlib import Path

from toolkit.analytics.duck.readers import sniff
from toolkit.analytics.duck.readers.base import BadRecord, LogFile, LogGroup, read_head
from toolkit.errors import IngestError


def expand_paths(paths: Sequence[str | Path]) -> list[Path]:
    """Files named by paths, globs and directories (recursively), in a stable order.

    A name that exists is taken literally even when it holds ``*``, ``?`` or ``[``. Folder
    entries that are not regular files (FIFOs, broken links) are kept, so that reading them
    fails by name (or, with --skip-bad-records, they are counted as skipped).
    """
    found: list[Path] = []
    for item in paths:
        text = str(item)
        literal = os.path.lexists(text) or not glob.has_magic(text)
        matches = [text] if literal else sorted(glob.glob(text, recursive=True))
        if not matches:
            raise IngestError(text, "no file matches this pattern")
        for match in matches:
            path = Path(match)
            if path.is_dir():
                found.extend(p for p in sorted(path.rglob("*")) if _is_log_file(p, path))
            else:
                found.append(path)
    if not found:
        raise IngestError(", ".join(str(p) for p in paths), "no log files found")
    return list(dict.fromkeys(found))


def _is_log_file(path: Path, root: Path) -> bool:
    """Entries a folder contributes: not hidden, notes, licences, CloudTrail digests or folders."""
    parts = path.relative_to(root).parts
    if any(p.startswith(".") or p == "CloudTrail-Digest" for p in parts):
        return False
    name = path.name.lower()
    notes = name.startswith(("license", "readme", "sources")) or name.endswith((".md", ".txt"))
    return not notes and not path.is_dir()


def sniff_files(
    files: Sequence[Path], log_format: str | None, unreadable: list[BadRecord] | None = None
) -> list[tuple[str, str, LogFile]]:
    """(reader, variant, file) for every file, by content or as forced.

    With ``unreadable`` (--skip-bad-records), files that cannot be opened as regular files are
    listed there instead of failing the load, unless no file is left to read.
    """
    found = []
    for path in files:
        try:
            log = read_head(path)
        except IngestError as exc:
            if unreadable is None:
                raise
            unreadable.append(BadRecord(str(path), None, None, exc.reason))
            continue
        found.append((*sniff(log, log_format), log))
    if not found and unreadable:
        raise unreadable[0].error()
    return found


def plan_groups(
    sniffed: Sequence[tuple[str, str, LogFile]], assume_tz: str | None = None
) -> list[LogGroup]:
    """Group files by (reader, variant, compression); files get consecutive ids."""
    by_key: dict[tuple[str, str, bool], list[LogFile]] = {}
    for name, variant, log in sniffed:
        by_key.setdefault((name, variant, log.gzipped), []).append(log)
    groups, next_id = [], 0
    for (name, variant, _gz), logs in by_key.items():
        groups.append(LogGroup(name, variant, tuple(logs), next_id, assume_tz))
        next_id += len(logs)
    return groups
