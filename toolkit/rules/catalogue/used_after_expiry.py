"""used-after-expiry: log rule, the analytics detection of the same id as findings."""

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
    id="used-after-expiry",
    title="Key used after its expiry date",
    severity=Severity.HIGH,
    tier=Tier.IMMEDIATE,
    remediation="Find out why an expired key is still presented, revoke it, and confirm the "
    "provider rejects it; open an incident if any call succeeded.",
    description="Inventory keys with expires_at that have logged events strictly after "
    "expires_at. Critical when any such call succeeded, high when all failed.",
    needs=(Needs.LOGS, Needs.INVENTORY),
)


def from_analytics(
    result: Any, keys: Sequence[KeyBase], policy: Policy, as_of: datetime
) -> Iterator[Finding]:
    """Findings from the ``used-after-expiry`` detection hits in ``result``."""
    return log_findings(RULE, result)
