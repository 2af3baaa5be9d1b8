"""Which files a list of log paths, globs and folders names (the same for every log backend)."""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from pathlib import Path

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
