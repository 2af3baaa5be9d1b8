"""used-after-revocation: log rule, the analytics detection of the same id as findings."""

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
    id="used-after-revocation",
    title="Key used after revocation",
    severity=Severity.CRITICAL,
    tier=Tier.IMMEDIATE,
    remediation="Treat the key as compromised: open an incident (`keyvigil incident open key- "
    "compromise`), find who used it and from where, and block it at the provider.",
    description="Inventory keys with revoked_at that have logged events strictly after "
    "revoked_at (events at the revocation instant pass). Critical when any such "
    "call succeeded, high when all failed (a leak signal).",
    needs=(Needs.LOGS, Needs.INVENTORY),
)


def from_analytics(
    result: Any, keys: Sequence[KeyBase], policy: Policy, as_of: datetime
) -> Iterator[Finding]:
    """Findings from the ``used-after-revocation`` detection hits in ``result``."""
    return log_findings(RULE, result)
