"""One ``keyvigil scan``: inventory fingerprints in, scan, outputs written, trail entry appended."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from toolkit.errors import UsageError
from toolkit.rules.policy import load_policy
from toolkit.scan import inventory, run_scan
from toolkit.scan.interface import ScanOptions, ScanReport
from toolkit.scan.outputs import FORMATS
from toolkit.store import Store
from toolkit.trail import append


@dataclass(frozen=True)
class ScanRequest:
    """What the user asked for: PATHs, how to scan, where the inventory is, what to write."""

    paths: tuple[Path, ...]
    options: ScanOptions = field(default_factory=ScanOptions)
    inventories: tuple[Path, ...] = ()
    inventory_format: str | None = None
    formats: tuple[str, ...] = ()
    out: Path | None = None
    policy_path: Path | None = None


@dataclass(frozen=True)
class ScanOutcome:
    """The report, the rendered outputs by format, and the files written."""

    report: ScanReport
    rendered: dict[str, bytes]
    written: tuple[Path, ...]


def check_formats(formats: tuple[str, ...], out: Path | None) -> None:
    """Known format names; several formats need ``--out`` (one file each)."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UsageError(f"--format: unknown {', '.join(unknown)} (choose from json, sarif)")
    if len(formats) > 1 and out is None:
        raise UsageError("--format: several formats need --out FILE (one file per format)")


def out_paths(formats: tuple[str, ...], out: Path) -> dict[str, Path]:
    """One file per format: ``--out`` itself for one format, else its stem plus each suffix."""
    if len(formats) == 1:
        return {formats[0]: out}
    return {name: out.with_suffix(FORMATS[name].suffix) for name in formats}


def _options(store: Store, request: ScanRequest) -> ScanOptions:
    """The request's options with the inventory (files, else the store) and the policy's mode."""
    if request.inventories:
        prints = inventory.from_files(request.inventories, request.inventory_format)
    else:
        with store.session() as session:
            prints = inventory.from_store(session)
    mode = load_policy(request.policy_path).config_file_mode
    return replace(request.options, inventory=prints, inventory_given=True, config_mode=mode)


def trail_payload(report: ScanReport, written: dict[str, bytes]) -> dict[str, Any]:
    """What the trail keeps of a scan: roots, counts, fingerprint prefixes, output digests."""
    c = report.coverage
    return {
        "roots": list(report.roots),
        "findings": dict(Counter(f.rule for f in report.findings)),
        "secrets": sorted({f.secret.prefix for f in report.findings if f.secret}),
        "allowed": len(report.allowed),
        "read": {"files": c.files, "log_files": c.log_files, "commits": c.commits},
        "skipped": len(report.skipped),
        "outputs": {name: hashlib.sha256(body).hexdigest() for name, body in written.items()},
    }


def scan_and_record(store: Store, request: ScanRequest, actor: str, at: datetime) -> ScanOutcome:
    """Scan, render the requested formats, write them under ``--out``, append to the trail."""
    check_formats(request.formats, request.out)
    report = run_scan(request.paths, _options(store, request))
    rendered = {name: FORMATS[name].render(report) for name in request.formats}
    written: list[Path] = []
    if request.out is not None:
        for name, path in out_paths(request.formats, request.out).items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(rendered[name])
            written.append(path)
    with store.session() as session:
        payload = trail_payload(report, rendered)
        append(session, actor=actor, action="scan.run", payload=payload, at=at)
    return ScanOutcome(report, rendered, tuple(written))
