"""Refusing log paths that are not regular files (or files too large to read whole), file
names as DuckDB reads them, and a byte-level look for what could decode to a NUL character."""

from __future__ import annotations

import errno
import os
import re
import stat
import threading
from collections.abc import Iterable
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


def duckdb_message(exc: Exception) -> str:
    """The first line of a DuckDB error, quoted values removed: what may be said of a log that
    failed to read (the lines after the first may quote the record, the quotes a value)."""
    return re.sub(r"'[^']*'", "'...'", str(exc).splitlines()[0] if str(exc) else "")


def failed_file(exc: Exception, paths: Iterable[str]) -> str | None:
    """Which of ``paths`` the first line of a DuckDB error names, if any (the longest: one
    path may hold another), as written or as DuckDB's readers took it (``duckdb_path``)."""
    first = str(exc).splitlines()[0] if str(exc) else ""
    named = [p for p in paths if p in first or duckdb_path(p) in first]
    return max(named, key=len) if named else None


class Unreadable(Exception):
    """A file that cannot be read as a whole: DuckDB could not parse it (whole-document
    formats), or it would not fit in the memory the log engine may use."""

    def __init__(self, path: str | None, where: str, reason: str) -> None:
        """Remember the file DuckDB named (if any), where to point otherwise, and why."""
        super().__init__(reason)
        self.path, self.where, self.reason = path, where, reason


class SerialOnly(Unreadable):
    """A CSV file DuckDB's parallel reader refuses (a line break inside a quoted field, with
    short rows padded): it must be read again on one thread."""


DEFLATE_RATIO = 1032
"""The most a deflate stream can expand: bounds a damaged gzip trailer's claim."""


def text_size(path: str, gzipped: bool) -> int:
    """A file's size in bytes once decompressed: its own size, or what a gzip file's trailer
    says (its last member's size modulo 4 GiB: less than the truth for larger or joined files;
    never more than deflate can expand the file to, however damaged the trailer)."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if not gzipped or size < 4:
            return size
        handle.seek(-4, os.SEEK_END)
        return min(int.from_bytes(handle.read(4), "little"), size * DEFLATE_RATIO)


SCAN_BYTES = 1 << 22  # read in 4 MiB pieces: each is searched while it is in the CPU cache
NUL_ESCAPE = b"\\u0000"
"""The only JSON spelling of NUL (a raw NUL byte is the CSV one): ``\\u`` and four zeros."""


def may_hold_nul(path: str, stop: threading.Event | None = None) -> bool:
    """False when an uncompressed text file holds neither a NUL byte nor a ``\\u0000`` escape.

    A memchr-speed pass over the raw bytes (cached, as the file is being read) that spares a
    per-value check of every text column when no value can contain a NUL: each piece is
    searched for a NUL byte and a backslash, and only a piece with a backslash for the whole
    escape (a search four times slower), so ordinary escapes (``\\"``, ``\\n``) cost little.
    The last bytes of a piece are kept in front of the next: an escape may span two pieces.
    Once ``stop`` is set the answer is True (unsure) without reading further.
    """
    keep = len(NUL_ESCAPE) - 1
    buffer = bytearray(keep + SCAN_BYTES)
    view = memoryview(buffer)
    kept = 0
    with open(path, "rb", buffering=0) as handle:
        while size := handle.readinto(view[kept:]):
            if stop is not None and stop.is_set():
                return True
            end = kept + size
            if buffer.find(b"\x00", kept, end) >= 0:
                return True
            if buffer.find(b"\\", 0, end) >= 0 and buffer.find(NUL_ESCAPE, 0, end) >= 0:
                return True
            kept = min(keep, end)
            buffer[:kept] = buffer[end - kept : end]
    return False


def duckdb_path(path: str) -> str:
    """A file name as DuckDB's readers take it: glob characters matched literally."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in path)
