"""secret-in-logs: a secret-shaped string found in log files."""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.rules.catalogue._scan import secret_findings
from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier
from toolkit.rules.model import Rule

RULE = Rule(
    id="secret-in-logs",
    title="Secret found in log files",
    severity=Severity.HIGH,
    tier=Tier.IMMEDIATE,
    remediation="Stop the code path that logs the secret, purge or redact the logs, and rotate the "
    "secret (the organisation's policy: 'Never log API keys or tokens').",
    description="Every secret-shaped string a scan found in log files (scan item kind 'secret', "
    "location 'logs'), one finding per file and line. Not evaluated without scan results.",
    needs=(Needs.SCAN,),
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """One finding per secret found in log files."""
    scan = inputs.scan_results()
    return secret_findings(RULE, scan, "logs", "logs")
