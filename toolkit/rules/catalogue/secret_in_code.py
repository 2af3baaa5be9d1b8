"""secret-in-code: a secret-shaped string found in source or config files."""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.rules.catalogue._scan import secret_findings
from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier
from toolkit.rules.model import Rule

RULE = Rule(
    id="secret-in-code",
    title="Secret found in source or configuration files",
    severity=Severity.HIGH,
    tier=Tier.IMMEDIATE,
    remediation="Remove the secret from the file and from version-control history, rotate it, "
    "and load it from the environment or a secret manager instead (the organisation's policy: "
    "'Never commit API keys').",
    description="Every secret-shaped string a scan found in files that are not logs (scan item "
    "kind 'secret', location 'code'), one finding per file and line. Not evaluated without scan "
    "results.",
    needs=(Needs.SCAN,),
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """One finding per secret found in code or config files."""
    scan = inputs.scan_results()
    return secret_findings(RULE, scan, "code", "code")
