"""access-without-audit-trail: log rule, the analytics detection of the same id as findings."""

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
    id="access-without-audit-trail",
    title="Access with no attributable key, or use with no logged events",
    severity=Severity.MEDIUM,
    tier=Tier.WEEKLY,
    remediation="Make every request carry a key or principal in the logs, and make sure every "
    "key's use is logged (seed: 'Log all secret access').",
    description="Events with neither a key id nor a principal; and inventory keys whose "
    "last_used_at falls inside the log window but more than "
    "detections.last_used_tolerance_hours after their last logged event (or that "
    "have none).",
    needs=(Needs.LOGS, Needs.INVENTORY),
    thresholds=("detections.last_used_tolerance_hours",),
)


def from_analytics(
    result: Any, keys: Sequence[KeyBase], policy: Policy, as_of: datetime
) -> Iterator[Finding]:
    """Findings from the ``access-without-audit-trail`` detection hits in ``result``."""
    return log_findings(RULE, result)
