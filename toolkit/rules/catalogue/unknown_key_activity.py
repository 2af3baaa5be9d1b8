"""unknown-key-activity: log rule, the analytics detection of the same id as findings."""

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
    id="unknown-key-activity",
    title="Activity of keys no inventory knows",
    severity=Severity.HIGH,
    tier=Tier.DAILY,
    remediation="Find the key's owner and add it to the inventory, or revoke it if nobody "
    "claims it.",
    description="Key ids in the logs that match no inventory key (by key id). High when a call "
    "succeeded, medium otherwise. AWS temporary (ASIA...) ids are ignored when "
    "detections.ignore_temporary_keys is true. Nothing is reported when no "
    "inventory is given.",
    needs=(Needs.LOGS, Needs.INVENTORY),
    thresholds=("detections.ignore_temporary_keys",),
)


def from_analytics(
    result: Any, keys: Sequence[KeyBase], policy: Policy, as_of: datetime
) -> Iterator[Finding]:
    """Findings from the ``unknown-key-activity`` detection hits in ``result``."""
    return log_findings(RULE, result)
