"""The demo's service tree for the real scanner: a repository, its logs and host configuration.

It follows the seed's practice, so the scan is clean: the real ``.env`` is git-ignored, the
committed ``.env.example`` holds placeholders, the runtime reads the key from the environment,
logs carry no credentials and local configuration files are restricted to their owner.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCAN_FILE = "demo-scan-results.json"


@dataclass(frozen=True)
class ServiceTree:
    """What the demo's scan step scans."""

    repo: Path
    logs: Path
    etc: Path
    home: Path

    def paths(self) -> tuple[Path, ...]:
        """The scan's PATH arguments (``home`` goes to ``--home``)."""
        return (self.repo, self.logs, self.etc)


FILES = {
    "failsafe-qore/.gitignore": ".env\n*.log\nnode_modules/\n",
    "failsafe-qore/.env": "QORE_API_KEY=qk_dev_local_only\nQORE_API_HOST=localhost\n"
    "QORE_API_PORT=17777\n",
    "failsafe-qore/.env.example": "QORE_API_KEY=your-dev-api-key-here\nQORE_API_HOST=localhost\n"
    "QORE_API_PORT=17777\n",
    "failsafe-qore/README.md": "# FailSafe-Qore runtime\n\nCopy `.env.example` to `.env`.\n",
    "failsafe-qore/runtime/service/start.ts": "const apiKey = process.env.QORE_API_KEY;\n",
    "var/log/failsafe-qore/runtime.log": "2026-09-30T23:58:01Z INFO start port=17777\n"
    "2026-09-30T23:58:02Z INFO GET /v1/health 200 key=prod-payments-api\n",
    "etc/failsafe-qore/runtime.env": "QORE_API_KEY=${QORE_API_KEY_PROD}\n"
    "QORE_API_HOST=api.example.com\n",
    "home/svc-qore/.config/failsafe-qore/credentials": "# filled by the secret manager agent\n",
}
MODES = {
    "etc/failsafe-qore/runtime.env": 0o400,
    "home/svc-qore/.config/failsafe-qore/credentials": 0o600,
}


def _git_init(repo: Path) -> None:
    """Make the service folder a git work tree (so .gitignore counts), when git is installed."""
    if shutil.which("git") is None:
        return
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run(["git", "init", "-q", str(repo)], env=env, check=True, capture_output=True)


def write_demo_service(folder: Path) -> ServiceTree:
    """Write the service tree under ``folder`` (afresh) and return what to scan."""
    shutil.rmtree(folder, ignore_errors=True)
    for name, text in FILES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        path.chmod(MODES.get(name, 0o644))
    _git_init(folder / "failsafe-qore")
    return ServiceTree(
        repo=folder / "failsafe-qore",
        logs=folder / "var" / "log" / "failsafe-qore",
        etc=folder / "etc" / "failsafe-qore",
        home=folder / "home" / "svc-qore",
    )
