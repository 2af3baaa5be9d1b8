"""Which files a list of log paths, globs and folders names (the same for every log backend)."""

from __future__ import annotations

import glob
from collections.abc import Sequence
from pathlib import Path

from toolkit.errors import IngestError


def expand_paths(paths: Sequence[str | Path]) -> list[Path]:
    """Files named by paths, globs and directories (recursively), in a stable order."""
    found: list[Path] = []
    for item in paths:
        text = str(item)
        matches = sorted(glob.glob(text, recursive=True)) if glob.has_magic(text) else [text]
        if not matches:
            raise IngestError(text, "no file matches this pattern")
        for match in matches:
            path = Path(match)
            if path.is_dir():
                found.extend(p for p in sorted(path.rglob("*")) if _is_log_file(p, path))
            elif path.is_file():
                found.append(path)
            else:
                raise IngestError(path, "no such file or directory")
    if not found:
        raise IngestError(", ".join(str(p) for p in paths), "no log files found")
    return list(dict.fromkeys(found))


def _is_log_file(path: Path, root: Path) -> bool:
    """Files a folder contributes: not hidden, not notes or licences, not CloudTrail digests."""
    parts = path.relative_to(root).parts
    if any(p.startswith(".") or p == "CloudTrail-Digest" for p in parts):
        return False
    name = path.name.lower()
    notes = name.startswith(("license", "readme", "sources")) or name.endswith((".md", ".txt"))
    return path.is_file() and not notes
