"""Shared logic of the scan rules: one finding per file location a scan reported."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from toolkit.rules.interface import Finding
from toolkit.rules.model import Rule, subject_finding

if TYPE_CHECKING:
    from toolkit.scan.results import ScanResults


def secret_findings(rule: Rule, scan: ScanResults, location: str, noun: str) -> Iterator[Finding]:
    """A finding per secret-shaped string found in ``location`` (code or logs): file:line."""
    for item in scan.of_kind("secret", location):
        yield subject_finding(
            rule,
            item.where,
            f"secret-shaped string in {noun}" + (f" ({item.detector})" if item.detector else ""),
            file=item.file,
            line=item.line,
            detector=item.detector,
            fingerprint_prefix=item.fingerprint[:12] if item.fingerprint else None,
        )
