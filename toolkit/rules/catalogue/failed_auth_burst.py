"""failed-auth-burst: log rule, the analytics detection of the same id as findings."""

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
    id="failed-auth-burst",
    title="More failed authentications than allowed in one window",
    severity=Severity.HIGH,
    tier=Tier.IMMEDIATE,
    remediation="Check whether the key is being guessed or a client is misconfigured; block "
    "the source, and rotate the key if it may be exposed.",
    description="Per key id (or per source IP for events with no key): more than "
    "failed_auth.threshold auth failures within any failed_auth.window_seconds "
    "sliding window (both ends inclusive); overlapping windows form one episode. "
    "Exactly the threshold passes.",
    needs=(Needs.LOGS, Needs.INVENTORY),
    thresholds=("failed_auth.*",),
)


def from_analytics(
    result: Any, keys: Sequence[KeyBase], policy: Policy, as_of: datetime
) -> Iterator[Finding]:
    """Findings from the ``failed-auth-burst`` detection hits in ``result``."""
    return log_findings(RULE, result)
