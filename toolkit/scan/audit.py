"""What an audit takes from the scanner: a folder scanned on the spot, and coverage gating.

A scan rule holds only on evidence the scan read: with no log file read, ``secret-in-logs`` is
not evaluated; with no files read at all, none of the scan rules is. A rule that found something
fails whatever the coverage.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.rules.engine import EVALUATED, NOT_EVALUATED, Evaluation
from toolkit.scan import run_scan
from toolkit.scan.interface import KeyRef, ScanOptions
from toolkit.scan.judge import ENV_FILE, EXPOSED, IN_CODE, IN_LOGS, PERMISSIONS, SCAN_RULES
from toolkit.scan.outputs.json import results
from toolkit.scan.results import ScanResults

if TYPE_CHECKING:
    from toolkit.models import KeyBase


def uncovered(scan: ScanResults) -> dict[str, str]:
    """Scan rules the scan gathered no evidence for, with the reason (hand-written files: none)."""
    s = scan.scanned
    if s is None:
        return {}
    if s.files + s.log_files + s.commits + s.config_files == 0:
        return dict.fromkeys(SCAN_RULES, "the scan read no files")
    out = {}
    if s.files + s.commits == 0:
        out[IN_CODE] = "the scan read no source or config files"
    if s.log_files == 0:
        out[IN_LOGS] = "the scan read no log files"
    if s.inventory_fingerprints == 0:
        out[EXPOSED] = "the scan was given no inventory fingerprints to look for"
    if s.env_roots == 0:
        out[ENV_FILE] = "the scan looked in no folder for .env files"
    if s.config_files == 0:
        out[PERMISSIONS] = "the scan found no credentials or config files to check"
    return out


def gate(evaluation: Evaluation, scan: ScanResults | None) -> Evaluation:
    """Mark not evaluated the scan rules without evidence that found nothing either."""
    if scan is None:
        return evaluation
    failing = {f.rule_id for f in evaluation.findings}
    gated = {
        rule: why
        for rule, why in uncovered(scan).items()
        if rule not in failing and evaluation.status.get(rule) == EVALUATED
    }
    status = {**evaluation.status, **dict.fromkeys(gated, NOT_EVALUATED)}
    return replace(evaluation, status=status, reasons={**evaluation.reasons, **gated})


@dataclass(frozen=True)
class ScannedFolder:
    """A folder scanned during an audit, as an input: its name, its results' SHA-256, findings."""

    name: str
    sha256: str
    findings: int


def scan_for_audit(
    folder: Path, keys: Sequence[KeyBase], config_mode: str
) -> tuple[ScanResults, ScannedFolder]:
    """Scan a folder for an audit, looking for the audited keys; the results and what was read."""
    prints = {
        k.fingerprint: KeyRef(k.key_id, k.provider, k.owner, k.environment)
        for k in keys
        if k.fingerprint
    }
    options = ScanOptions(inventory=prints, inventory_given=True, config_mode=config_mode)
    document = results(run_scan([folder], options))
    body = document.model_dump_json(by_alias=True, exclude_none=True).encode("utf-8")
    digest = hashlib.sha256(body).hexdigest()
    return document, ScannedFolder(folder.resolve().name, digest, len(document.findings))
