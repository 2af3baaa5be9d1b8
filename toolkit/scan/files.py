"""Detector source: the files under each PATH (working tree), read in parallel on every core."""

from __future__ import annotations

import os
from pathlib import Path

from toolkit.scan import pool
from toolkit.scan.git import listed_files
from toolkit.scan.interface import Location, Root, ScanOptions, Skipped, SourceResult
from toolkit.scan.reader import FileTask

LOG_SUFFIXES = (".log", ".out", ".err")
LOG_FOLDERS = {"log", "logs"}
SKIP_FOLDERS = {".git", ".hg", ".svn"}


def is_log(path: Path) -> bool:
    """Log files by name: ``*.log`` (and rotated ``*.log.1``), ``*.out``, or inside ``logs/``."""
    name = path.name.lower()
    if name.endswith(LOG_SUFFIXES) or ".log." in name:
        return True
    return any(part.lower() in LOG_FOLDERS for part in path.parent.parts[-3:])


def walk(folder: Path) -> list[Path]:
    """Every file under ``folder`` (not following links), skipping version-control folders."""
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_FOLDERS)
        out.extend(Path(dirpath, f) for f in sorted(filenames))
    return out


def root_files(root: Root, options: ScanOptions) -> list[Path]:
    """The files of one root: what git would see (unless --no-ignore), else every file."""
    if not root.path.is_dir():
        return [root.path]
    if root.repo is not None and not options.no_ignore:
        return listed_files(root.path)
    return walk(root.path)


def _size(path: Path) -> int:
    """The file's size without following links (0 when it cannot be read)."""
    try:
        return path.lstat().st_size
    except OSError:
        return 0


def tasks(roots: tuple[Root, ...], options: ScanOptions) -> list[FileTask]:
    """One task per file of every root, classified as code or logs."""
    out = []
    for root in roots:
        for path in root_files(root, options):
            location: Location = "logs" if options.logs or is_log(path) else "code"
            out.append(FileTask(str(path), root.name(path), location, _size(path)))
    return out


class WorkingTree:
    """Secret-shaped strings in the files under each PATH."""

    name = "files"

    def wanted(self, options: ScanOptions) -> bool:
        """Always: the working tree is what a scan is about."""
        return True

    def collect(self, roots: tuple[Root, ...], options: ScanOptions) -> SourceResult:
        """Scan every file; binaries, huge and unreadable files are reported as skipped."""
        todo = tasks(roots, options)
        if options.progress:
            options.progress(f"{len(todo)} file(s) to scan")
        outcome = pool.scan_files(todo, options)
        skipped = tuple(Skipped(name, reason) for name, reason in outcome.skipped)
        read = len(todo) - len(skipped)
        logs = sum(1 for t in todo if t.location == "logs") - outcome.skipped_logs
        return SourceResult(hits=outcome.hits, skipped=skipped, files=read - logs, log_files=logs)


SOURCE = WorkingTree()
