"""failed-auth-rate-increase: log rule, the analytics detection of the same id as findings."""

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
    id="failed-auth-rate-increase",
    title="Failed-authentication rate well above the previous period",
    severity=Severity.MEDIUM,
    tier=Tier.DAILY,
    remediation="Look for a client with a stale key or for guessing; fix the client or block "
    "the source.",
    description="Per key and over the whole log: the auth-failure rate of the last "
    "rate_period_days above rate_increase_factor x the previous period's, with at "
    "least rate_min_failures failures, rate_min_rate, and rate_min_events events "
    "in each period.",
    needs=(Needs.LOGS, Needs.INVENTORY),
    thresholds=("detections.rate_*",),
)


def from_analytics(
    result: Any, keys: Sequence[KeyBase], policy: Policy, as_of: datetime
) -> Iterator[Finding]:
    """Findings from the ``failed-auth-rate-increase`` detection hits in ``result``."""
    return log_findings(RULE, result)
