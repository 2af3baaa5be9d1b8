"""Action ``secret-scan``: search a path for other leaked secrets with keyvigil's scanner."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import toolkit.scan as scan
from toolkit.runbooks.actions.interface import ActionContext, ActionResult


@dataclass(frozen=True)
class SecretScan:
    """Scan ``path``; says "not run" with the reason when there is no scanner or no path."""

    name: str = "secret-scan"
    title: str = "Search the codebase for other leaked secrets"
    params: tuple[str, ...] = ("path",)

    def run(self, ctx: ActionContext) -> ActionResult:
        """Never a pass without a scan: a missing scanner or path is reported as not run."""
        path = str(ctx.params.get("path") or "").strip()
        if not path:
            return ActionResult("not_run", "no path to scan was given")
        if not Path(path).exists():
            return ActionResult("not_run", f"{path}: no such file or folder")
        run_scan = getattr(scan, "run_scan", None)
        if run_scan is None:
            reason = "the secret scanner (keyvigil scan) is not part of this build yet"
            return ActionResult("not_run", reason, {"path": path})
        return ActionResult("not_run", "the secret scanner's interface is not supported")
