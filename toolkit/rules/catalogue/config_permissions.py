"""config-permissions: a credentials or config file readable beyond its owner."""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier
from toolkit.rules.model import Rule, subject_finding

RULE = Rule(
    id="config-permissions",
    title="Credentials file readable beyond its owner",
    severity=Severity.MEDIUM,
    tier=Tier.DAILY,
    remediation="Restrict the file to its owner (`chmod 600 FILE`) and check who could read it "
    "meanwhile (the organisation's policy: 'Set appropriate file permissions (0600)').",
    description="Scan items of kind 'permissions' whose mode grants any permission bit that "
    "config_file_mode does not (default 0600: group or other access of any kind fails; 0400 "
    "passes). Not evaluated without scan results.",
    needs=(Needs.SCAN,),
    thresholds=("config_file_mode",),
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """One finding per file whose permissions exceed the allowed mode."""
    scan = inputs.scan_results()
    policy = inputs.policy
    allowed = int(policy.config_file_mode, 8)
    for item in scan.of_kind("permissions"):
        if item.mode is None:
            continue
        extra = int(item.mode, 8) & 0o777 & ~allowed
        if extra:
            yield subject_finding(
                RULE,
                item.file,
                f"mode {item.mode} grants more than {policy.config_file_mode}",
                mode=item.mode,
                allowed_mode=policy.config_file_mode,
                excess_bits=f"{extra:04o}",
            )
