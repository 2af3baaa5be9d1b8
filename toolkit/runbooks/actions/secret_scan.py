"""Action ``secret-scan``: search a path for other leaked secrets with keyvigil's scanner."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.runbooks.actions.interface import ActionContext, ActionResult
from toolkit.scan import ScanFinding, ScanOptions, run_scan
from toolkit.scan.inventory import from_store

LISTED = 50
"""Findings kept in the step's record (the counts cover all of them)."""


@dataclass(frozen=True)
class SecretScan:
    """Scan ``path`` (and its git history when it is a repository), knowing the inventory."""

    name: str = "secret-scan"
    title: str = "Search the codebase for other leaked secrets"
    params: tuple[str, ...] = ("path",)

    def run(self, ctx: ActionContext) -> ActionResult:
        """Not run without a path that exists; otherwise masked findings and what was read."""
        path = str(ctx.params.get("path") or "").strip()
        if not path:
            return ActionResult("not_run", "no path to scan was given")
        root = Path(path)
        if not root.exists():
            return ActionResult("not_run", f"{path}: no such file or folder")
        options = ScanOptions(
            git=(root / ".git").exists(), inventory=from_store(ctx.session),
            inventory_given=True, config_mode=ctx.policy.config_file_mode,
        )  # fmt: skip
        report = run_scan([root], options)
        if report.coverage.files == 0 and report.coverage.commits == 0:
            return ActionResult("not_run", f"{path}: the scan found no file it could read")
        return ActionResult("done", _summary(report.findings, report.coverage.files),
                            _outputs(path, report.findings, report.coverage.files,
                                     report.coverage.commits, ctx.incident.key_id))  # fmt: skip


def _summary(findings: tuple[ScanFinding, ...], files: int) -> str:
    """'3 finding(s) in 120 file(s): secret-in-code 2, inventoried-key-exposed 1'."""
    counts = Counter(f.rule for f in findings)
    listed = ", ".join(f"{rule} {n}" for rule, n in counts.most_common())
    return f"{len(findings)} finding(s) in {files} file(s)" + (f": {listed}" if listed else "")


def _outputs(
    path: str, findings: tuple[ScanFinding, ...], files: int, commits: int, key_id: str
) -> dict[str, Any]:
    """Counts and the first findings, masked (fingerprint prefix, never a value)."""
    return {
        "path": path,
        "files": files,
        "commits": commits,
        "findings": len(findings),
        "by_rule": dict(Counter(f.rule for f in findings)),
        "incident_key_found": any(f.key is not None and f.key.key_id == key_id for f in findings),
        "other_inventoried_keys": sorted(
            {f.key.key_id for f in findings if f.key is not None and f.key.key_id != key_id}
        ),
        "listed": [
            {
                "rule": f.rule,
                "severity": f.severity,
                "file": f.file,
                "line": f.line,
                "key_id": f.key.key_id if f.key else None,
                "fingerprint": f.secret.fingerprint[:12] if f.secret else None,
            }
            for f in findings[:LISTED]
        ],  # fmt: skip
    }
