"""Which files a ``--logs`` argument names, and refusing what is not a regular file."""

from __future__ import annotations

import errno
import glob
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from toolkit.errors import IngestError

# What a non-regular file is, in words (reading a FIFO or a device would block or never end).
KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


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


def check_regular(path: Path) -> None:
    """Raise IngestError saying truly why a path is not a readable regular file."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            raise IngestError(path, "broken symbolic link: its target does not exist") from None
        raise IngestError(path, "no such file or directory") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise IngestError(path, "symbolic link loop: the link never reaches a file") from None
        raise IngestError(path, f"cannot read: {exc.strerror or exc.__class__.__name__}") from None
    if stat.S_ISDIR(mode):
        raise IngestError(path, "is a directory")
    for test, kind in KINDS:
        if test(mode):
            raise IngestError(path, f"not a regular file but {kind}; copy the log to a file")


def duckdb_path(path: str) -> str:
    """A file name as DuckDB's readers take it: glob characters matched literally."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in path)
