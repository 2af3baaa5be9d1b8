"""log-retention-gap: log rule, the analytics detection of the same id as findings."""

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
    id="log-retention-gap",
    title="Access logs cover less than the required history",
    severity=Severity.MEDIUM,
    tier=Tier.WEEKLY,
    remediation="Keep access logs for the required period (PCI DSS 10.5.1: 12 months, the "
    "latest 3 at hand) and find out why logging stopped for the gaps.",
    description="The logs' first event is less than log_retention.required_days before the as- "
    "of time, or spans with no events at all are longer than "
    "log_retention.max_gap_hours (including a log that stops before as-of).",
    needs=(Needs.LOGS, Needs.INVENTORY),
    thresholds=("log_retention.*",),
)


def from_analytics(
    result: Any, keys: Sequence[KeyBase], policy: Policy, as_of: datetime
) -> Iterator[Finding]:
    """Findings from the ``log-retention-gap`` detection hits in ``result``."""
    return log_findings(RULE, result)
