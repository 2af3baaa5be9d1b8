"""secret-in-logs: a secret-shaped string found in log files."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from toolkit.rules.catalogue._scan import secret_findings
from toolkit.rules.interface import Finding, Needs, Severity, Tier
from toolkit.rules.model import Rule
from toolkit.rules.policy import Policy
from toolkit.scan.results import ScanResults

if TYPE_CHECKING:
    from toolkit.models import KeyBase

RULE = Rule(
    id="secret-in-logs",
    title="Secret found in log files",
    severity=Severity.HIGH,
    tier=Tier.IMMEDIATE,
    remediation="Stop the code path that logs the secret, purge or redact the logs, and rotate the "
    "secret (seed: 'Never log API keys or tokens').",
    description="Every secret-shaped string a scan found in log files (scan item kind 'secret', "
    "location 'logs'), one finding per file and line. Not evaluated without scan results.",
    needs=(Needs.SCAN,),
)


def from_scan(
    scan: ScanResults, keys: Sequence[KeyBase], policy: Policy, as_of: datetime
) -> Iterator[Finding]:
    """One finding per secret found in log files."""
    return secret_findings(RULE, scan, "logs", "logs")
