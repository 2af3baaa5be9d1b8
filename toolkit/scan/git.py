"""The few git questions the scanner asks: work tree, listed files, tracked and ignored paths."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from toolkit.scan.interface import ScanError

GIT_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"}


def run_git(repo: Path, *args: str, stdin: bytes | None = None, check: bool = True) -> bytes:
    """Run ``git -C repo ARGS`` and return stdout; a failure is a ScanError naming the repo."""
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args],
            input=stdin,
            capture_output=True,
            env={**os.environ, **GIT_ENV},
            check=False,
        )
    except FileNotFoundError:
        raise ScanError("git is not installed (needed for --git and .gitignore)") from None
    if check and done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ScanError(f"{repo}: git {args[0]} failed: {reason[-1] if reason else 'error'}")
    return done.stdout


def work_tree(path: Path) -> Path | None:
    """The top of the git work tree holding ``path`` (a folder), or None outside any."""
    folder = path if path.is_dir() else path.parent
    try:
        out = run_git(folder, "rev-parse", "--show-toplevel", check=False)
    except ScanError:
        return None
    text = out.decode("utf-8", "surrogateescape").strip()
    return Path(text).resolve() if text else None


def _paths(raw: bytes) -> list[str]:
    """NUL-separated git output as paths."""
    return [p.decode("utf-8", "surrogateescape") for p in raw.split(b"\0") if p]


def listed_files(folder: Path) -> list[Path]:
    """Files under ``folder`` that version control would see: tracked, or untracked not ignored."""
    out = run_git(folder, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    return sorted({folder / p for p in _paths(out)})


def tracked(repo: Path, paths: Sequence[Path]) -> set[Path]:
    """Which of ``paths`` (absolute) are tracked in ``repo``."""
    if not paths:
        return set()
    rel = [str(p.relative_to(repo)) for p in paths]
    out = run_git(repo, "ls-files", "-z", "--cached", "--", *rel)
    return {repo / p for p in _paths(out)}


def ignored(repo: Path, paths: Sequence[Path]) -> set[Path]:
    """Which of ``paths`` (absolute) the repo's ignore rules exclude."""
    if not paths:
        return set()
    body = b"\0".join(str(p.relative_to(repo)).encode("utf-8", "surrogateescape") for p in paths)
    out = run_git(repo, "check-ignore", "-z", "--stdin", "--no-index", stdin=body, check=False)
    return {repo / p for p in _paths(out)}
