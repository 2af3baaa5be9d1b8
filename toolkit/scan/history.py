"""Detector source: git history (every commit's added lines on all branches and tags).

Each secret is reported once per path, at the commit that introduced it (oldest first), with the
author date and whether the file still holds it at HEAD.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from toolkit.scan import pool
from toolkit.scan.engine import scan_text
from toolkit.scan.files import is_log
from toolkit.scan.git import run_git
from toolkit.scan.interface import (
    Hit,
    Location,
    Root,
    ScanError,
    ScanOptions,
    Skipped,
    SourceResult,
)
from toolkit.scan.pool import TextTask

MARK = "\x1ecommit "
HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")


@dataclass
class _Change:
    """Added lines of one file in one commit, while the log is parsed."""

    path: str
    lines: list[int] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    binary: bool = False


def log_args(options: ScanOptions, relative: str) -> list[str]:
    """``git log`` arguments: all refs (or only what ``--since`` lacks), oldest first, -U0."""
    refs = ["--all", f"^{options.since}"] if options.since else ["--all"]
    fmt = f"--format={MARK}%H %aI"
    spec = ["--", relative] if relative not in ("", ".") else []
    flags = ["-c", "core.quotepath=off", "log", *refs, "--reverse", "-p", "--unified=0"]
    return [*flags, "--no-color", "--no-ext-diff", "--no-renames", fmt, *spec]


def _commits(raw: str) -> Iterator[tuple[str, datetime, list[_Change]]]:
    """(commit, author date, changes) from ``git log -p -U0`` output."""
    for block in raw.split(MARK)[1:]:
        header, _, body = block.partition("\n")
        sha, _, date = header.partition(" ")
        yield sha, datetime.fromisoformat(date.strip()), list(_changes(body))


def _changes(body: str) -> Iterator[_Change]:
    """The files of one commit's patch with their added lines and new line numbers."""
    change: _Change | None = None
    number = 0
    for line in body.split("\n"):
        if line.startswith("diff --git "):
            if change is not None:
                yield change
            change = None
        elif line.startswith("+++ "):
            change = _Change(line[6:]) if line.startswith("+++ b/") else None
        elif line.startswith("Binary files ") and " and b/" in line:
            change = _Change(line.split(" and b/", 1)[1].rsplit(" differ", 1)[0], binary=True)
        elif change is not None and line.startswith("@@"):
            found = HUNK.match(line)
            number = int(found.group(1)) if found else 0
        elif change is not None and line.startswith("+"):
            change.lines.append(number)
            change.text.append(line[1:])
            number += 1
    if change is not None:
        yield change


def _verify_since(repo: Path, since: str) -> None:
    """``--since`` must name a commit of the repository."""
    if run_git(repo, "rev-parse", "--verify", "--quiet", f"{since}^{{commit}}", check=False):
        return
    raise ScanError(f"{repo}: --since: {since!r} is not a commit of this repository")


@dataclass
class _Log:
    """What one repository's log yielded: texts to scan, skipped changes, dates and paths."""

    tasks: list[TextTask] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    dates: dict[str, datetime] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)


def _read_log(root: Root, options: ScanOptions) -> _Log:
    """Text tasks for every added-lines change, with the changes skipped and commit dates."""
    assert root.repo is not None
    relative = root.path.relative_to(root.repo).as_posix()
    raw = run_git(root.repo, *log_args(options, relative)).decode("utf-8", "replace")
    log = _Log()
    for sha, date, changes in _commits(raw):
        log.dates[sha] = date
        for change in changes:
            name = root.name(root.repo / change.path)
            log.paths[name] = change.path
            size = sum(len(t) for t in change.text)
            if change.binary or size > options.max_bytes:
                reason = (
                    "binary" if change.binary else f"added lines over {options.max_bytes} bytes"
                )
                log.skipped.append(Skipped(f"{name}@{sha[:12]}", reason))
            elif change.text:
                location: Location = "logs" if options.logs or is_log(Path(change.path)) else "code"
                text = "\n".join(change.text) + "\n"
                log.tasks.append(TextTask(text, name, location, tuple(change.lines), sha))
    return log


def _at_head(repo: Path, hits: list[Hit], paths: dict[str, str], options: ScanOptions) -> list[Hit]:
    """Each hit with ``at_head``: whether HEAD's version of its file still holds the secret."""
    present: dict[str, set[str]] = {}
    for name in {h.file for h in hits}:
        blob = run_git(repo, "show", f"HEAD:{paths[name]}", check=False)
        found = scan_text(blob.decode("utf-8", "replace"), name, "code", options.inventory)
        present[name] = {h.secret.fingerprint for h in found}
    return [replace(h, at_head=h.secret.fingerprint in present[h.file]) for h in hits]


def scan_history(root: Root, options: ScanOptions) -> SourceResult:
    """The secrets introduced in one repository's history, once per (path, secret)."""
    assert root.repo is not None
    if options.since:
        _verify_since(root.repo, options.since)
    if options.progress:
        options.progress(f"reading the history of {root.label}")
    log = _read_log(root, options)
    first: dict[tuple[str, str], Hit] = {}
    for sha, hits in pool.scan_texts(log.tasks, options):
        for hit in hits:
            placed = replace(hit, commit=sha, author_date=log.dates[sha])
            first.setdefault((hit.file, hit.secret.fingerprint), placed)
    hits = _at_head(root.repo, list(first.values()), log.paths, options)
    return SourceResult(hits=tuple(hits), skipped=tuple(log.skipped), commits=len(log.dates))


class History:
    """Secret-shaped strings anywhere in the history of each PATH's git repository."""

    name = "git"

    def wanted(self, options: ScanOptions) -> bool:
        """Only with ``--git`` (or ``--since``)."""
        return options.git or options.since is not None

    def collect(self, roots: tuple[Root, ...], options: ScanOptions) -> SourceResult:
        """Scan the history of every root inside a git repository; say which are not."""
        results = [scan_history(r, options) for r in roots if r.repo is not None]
        notices = tuple(
            f"{r.label}: not in a git repository; no history" for r in roots if not r.repo
        )
        return SourceResult(
            hits=tuple(h for r in results for h in r.hits),
            skipped=tuple(s for r in results for s in r.skipped),
            commits=sum(r.commits for r in results),
            notices=notices,
        )


SOURCE = History()
