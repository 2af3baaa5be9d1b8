"""usage-anomaly: log rule, the analytics detection of the same id as findings."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from toolkit.rules.catalogue._logs import log_findings
from toolkit.rules.interface import Finding, Needs, Severity, Tier
from toolkit.rules.model import Rule
from toolkit.rules.policy import Policy

if TYPE_CHECKING:
    from toolkit.models import KeyBase

RULE = Rule(
    id="usage-anomaly",
    title="Key's daily volume far above its baseline",
    severity=Severity.MEDIUM,
    tier=Tier.IMMEDIATE,
    remediation="Ask the owner what changed; if nothing explains the volume, treat the key as "
    "possibly compromised.",
    description="Keys with at least detections.min_baseline_days of history whose daily event "
    "count exceeds median + anomaly_mad_threshold x MAD of their baseline days, on "
    "days with at least anomaly_min_events events.",
    needs=(Needs.LOGS, Needs.INVENTORY),
    thresholds=("detections.baseline_days", "detections.min_baseline_days", "detections.anomaly_*"),
)


def from_analytics(
    result: Any, keys: Sequence[KeyBase], policy: Policy, as_of: datetime
) -> Iterator[Finding]:
    """Findings from the ``usage-anomaly`` detection hits in ``result``."""
    return log_findings(RULE, result)
