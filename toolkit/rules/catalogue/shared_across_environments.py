"""shared-across-environments: one secret (fingerprint) used in more than one environment."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from toolkit.rules.catalogue._sharing import shared
from toolkit.rules.interface import Finding, Needs, Severity, Tier
from toolkit.rules.model import Rule
from toolkit.rules.policy import Policy

if TYPE_CHECKING:
    from toolkit.models import KeyBase

RULE = Rule(
    id="shared-across-environments",
    title="Same secret used in more than one environment",
    severity=Severity.HIGH,
    tier=Tier.WEEKLY,
    remediation="Issue a separate key per environment and revoke the shared one (seed: 'Use "
    "different secrets per environment').",
    description="Active keys with a known fingerprint that is also held by an active key in a "
    "different environment (names compared case-insensitively; keys with no environment are "
    "ignored). Every key in the group fails.",
    needs=(Needs.INVENTORY,),
)


def evaluate(keys: Sequence[KeyBase], policy: Policy, as_of: datetime) -> Iterator[Finding]:
    """Yield a finding for each active key whose secret also serves another environment."""
    return shared(RULE, keys, lambda key: key.environment, "environments")
