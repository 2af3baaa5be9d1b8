"""What an audit run is asked to do: its inputs, frameworks, policy, time and outputs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class AuditRequest:
    """What the user asked for: inputs, frameworks, policy, time, outputs."""

    as_of: datetime
    inventories: tuple[Path, ...] = ()
    logs: tuple[str, ...] = ()
    frameworks: tuple[str, ...] = ()
    policy_path: Path | None = None
    out_dir: Path | None = None
    formats: tuple[str, ...] = ("json",)
    scan: Path | None = None
    log_format: str | None = None
    inventory_format: str | None = None
    skip_bad_records: bool = False
    assume_tz: str | None = None
