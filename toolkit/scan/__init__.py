"""Secret scanning of folders, files, logs and git history that knows the inventory.

Public entry point: ``run_scan(paths, options) -> ScanReport``. Findings are masked: a secret is
known by its SHA-256 fingerprint, its length and at most its first four characters.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from toolkit.scan import allowlist, envfiles, files, history, judge, permissions
from toolkit.scan.git import work_tree
from toolkit.scan.interface import (
    Allowed,
    Check,
    CheckResult,
    Coverage,
    Hit,
    KeyRef,
    MaskedSecret,
    Root,
    ScanError,
    ScanFinding,
    ScanOptions,
    ScanReport,
    Skipped,
    Source,
    SourceResult,
)

SOURCES: dict[str, Source] = {"files": files.SOURCE, "git": history.SOURCE}
"""Detector sources, in the order they run."""
CHECKS: dict[str, Check] = {"env-files": envfiles.CHECK, "permissions": permissions.CHECK}
"""Hygiene checks, in the order they run."""

__all__ = [
    "Allowed",
    "Coverage",
    "KeyRef",
    "MaskedSecret",
    "ScanError",
    "ScanFinding",
    "ScanOptions",
    "ScanReport",
    "Skipped",
    "make_roots",
    "run_scan",
]


def label(path: Path, base: Path | None) -> str:
    """How files under a root are named: relative to ``base`` when under it, else as given."""
    if base is not None:
        try:
            return path.resolve().relative_to(base.resolve()).as_posix() or "."
        except ValueError:
            pass
    return os.path.normpath(str(path))


def make_roots(paths: Sequence[Path | str], base: Path | None = None) -> tuple[Root, ...]:
    """The PATHs to scan, checked to exist, each with its git work tree (if any)."""
    roots = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise ScanError(f"{given}: no such file or folder")
        resolved = path.resolve()
        roots.append(Root(resolved, label(path, base), work_tree(resolved)))
    if not roots:
        raise ScanError("nothing to scan: give at least one PATH")
    return tuple(roots)


def _sources(roots: tuple[Root, ...], options: ScanOptions) -> tuple[list[Hit], SourceResult]:
    """Run every wanted source; working-tree hits merged with where history introduced them."""
    results = {n: s.collect(roots, options) for n, s in SOURCES.items() if s.wanted(options)}
    tree = results["files"]
    past = results.get("git", SourceResult())
    hits = judge.merge_hits(tree.hits, past.hits)
    both = SourceResult(
        skipped=tree.skipped + past.skipped,
        files=tree.files,
        log_files=tree.log_files,
        commits=past.commits,
        notices=tree.notices + past.notices,
    )
    return hits, both


def _checks(roots: tuple[Root, ...], options: ScanOptions) -> CheckResult:
    """Run every hygiene check and gather what they observed."""
    seen = [check.observe(roots, options) for check in CHECKS.values()]
    return CheckResult(
        env_files=tuple(e for s in seen for e in s.env_files),
        file_modes=tuple(m for s in seen for m in s.file_modes),
        env_roots=sum(s.env_roots for s in seen),
        notices=tuple(n for s in seen for n in s.notices),
    )


def _findings(hits: list[Hit], checks: CheckResult, options: ScanOptions) -> list[ScanFinding]:
    """Every finding the five scan rules make of the hits and observations."""
    out = [judge.secret_finding(hit, options.inventory) for hit in hits]
    out += [f for e in checks.env_files if (f := judge.env_finding(e)) is not None]
    out += [f for m in checks.file_modes if (f := judge.mode_finding(m, options.config_mode))]
    return out


def run_scan(paths: Sequence[Path | str], options: ScanOptions | None = None) -> ScanReport:
    """Scan PATHs (files, folders, repositories) and return masked findings and coverage."""
    options = options or ScanOptions()
    roots = make_roots(paths, options.base)
    lists = allowlist.for_roots(roots)
    say = options.progress
    if say:
        say(f"scanning {len(roots)} path(s)")
    hits, read = _sources(roots, options)
    checks = _checks(roots, options)
    kept, allowed = allowlist.apply(_findings(hits, checks, options), lists)
    coverage = Coverage(
        files=read.files,
        log_files=read.log_files,
        commits=read.commits,
        env_roots=checks.env_roots,
        config_files=len(checks.file_modes),
        inventory_fingerprints=len(options.inventory),
        inventory_given=options.inventory_given,
    )
    return ScanReport(
        roots=tuple(r.label for r in roots),
        findings=tuple(judge.order(kept)),
        allowed=tuple(allowed),
        skipped=read.skipped,
        hits=tuple(hits),
        env_files=checks.env_files,
        file_modes=checks.file_modes,
        coverage=coverage,
        notices=read.notices + checks.notices,
    )
