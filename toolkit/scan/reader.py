"""Reading one file for the scan: regular text files only; links, binaries, huge files skipped."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

from toolkit.scan.interface import Location

BINARY_PROBE = 8192
"""A NUL byte in this many leading bytes marks a file as binary."""


@dataclass(frozen=True)
class FileTask:
    """One file to read: where it is, its display name, code or logs, its size (0: unknown)."""

    path: str
    name: str
    location: Location
    size: int = 0


def read_text(path: str, max_bytes: int) -> tuple[str | None, str]:
    """``(text, "")``, or ``(None, why it is skipped)`` for links, binaries, huge or odd files."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        return None, f"unreadable ({exc.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return None, "symbolic link (not followed)"
    if not stat.S_ISREG(info.st_mode):
        return None, "not a regular file"
    if info.st_size > max_bytes:
        return None, f"larger than {max_bytes} bytes ({info.st_size})"
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return None, f"unreadable ({exc.strerror})"
    if b"\0" in data[:BINARY_PROBE]:
        return None, "binary"
    return data.decode("utf-8", "replace"), ""
