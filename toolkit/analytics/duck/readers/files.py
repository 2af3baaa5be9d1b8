"""Refusing log paths that are not regular files, and file names as DuckDB reads them."""

from __future__ import annotations

import errno
import stat
from pathlib import Path

from toolkit.errors import IngestError

# What a non-regular file is, in words (reading a FIFO or a device would block or never end).
KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


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
