"""new-location: log rule, the analytics detection of the same id as findings."""

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
    id="new-location",
    title="Key used from a new location",
    severity=Severity.HIGH,
    tier=Tier.IMMEDIATE,
    remediation="Confirm with the key's owner that the new location is legitimate; if not, "
    "revoke the key and open an incident.",
    description="Keys used from a country (else a /24 or /64 network) not seen in their first "
    "detections.baseline_days days of logs. High when a call from there succeeded, "
    "medium otherwise.",
    needs=(Needs.LOGS, Needs.INVENTORY),
    thresholds=("detections.baseline_days",),
)


def from_analytics(
    result: Any, keys: Sequence[KeyBase], policy: Policy, as_of: datetime
) -> Iterator[Finding]:
    """Findings from the ``new-location`` detection hits in ``result``."""
    return log_findings(RULE, result)
