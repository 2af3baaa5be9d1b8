"""The demo's secret-scan results: a clean scan of the service repository and its host config."""

from __future__ import annotations

import json
from pathlib import Path

SCAN_FILE = "demo-scan-results.json"

FINDINGS = [
    # The real .env is git-ignored; the committed template has no values (the seed's practice).
    {"kind": "env-file", "file": "failsafe-qore/.env", "ignored": True, "values": 3},
    {"kind": "env-file", "file": "failsafe-qore/.env.example", "ignored": False, "values": 0},
    # Local configuration files restricted to their owner (the seed's 0600).
    {
        "kind": "permissions",
        "file": "home/svc-qore/.config/failsafe-qore/credentials",
        "mode": "0600",
    },
    {"kind": "permissions", "file": "etc/failsafe-qore/runtime.env", "mode": "0400"},
]
"""What the scan saw; no secret-shaped strings were found in code or logs."""


def write_demo_scan(out_dir: Path) -> Path:
    """Write the scan results (schema ``keyvigil.scan-results/1``) and return the file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    document = {
        "schema": "keyvigil.scan-results/1",
        "roots": ["failsafe-qore", "home/svc-qore/.config", "etc/failsafe-qore"],
        "findings": FINDINGS,
    }
    path = out_dir / SCAN_FILE
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return path
