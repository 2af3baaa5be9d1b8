"""env-file-not-ignored: a .env file with values that version control would pick up."""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier
from toolkit.rules.model import Rule, subject_finding

RULE = Rule(
    id="env-file-not-ignored",
    title=".env file with values not ignored by version control",
    severity=Severity.HIGH,
    tier=Tier.DAILY,
    remediation="Add the file to .gitignore, remove it from the repository history if it was "
    "committed, and rotate the values it held (the organisation's policy: 'Add .env to "
    ".gitignore').",
    description="Scan items of kind 'env-file' with ignored false and at least one variable with "
    "a value (values > 0; unknown counts as having values). Files version control ignores, or "
    "with only empty values (a .env.example), pass. Not evaluated without scan results.",
    needs=(Needs.SCAN,),
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """One finding per .env file with values that is not ignored."""
    scan = inputs.scan_results()
    for item in scan.of_kind("env-file"):
        if item.ignored is False and (item.values is None or item.values > 0):
            yield subject_finding(
                RULE, item.file, "env file with values is not ignored", values=item.values
            )
