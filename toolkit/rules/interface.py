"""The shared shapes of the rule catalogue: rule metadata and the findings rules produce."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How bad a finding is, most severe first."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for critical ... 4 for info, for sorting most severe first."""
        return list(Severity).index(self)


class Tier(StrEnum):
    """The seed's alert tiers: pager now, daily e-mail, weekly report."""

    IMMEDIATE = "immediate"
    DAILY = "daily"
    WEEKLY = "weekly"


class Needs(StrEnum):
    """What input a rule needs to be evaluated at all."""

    INVENTORY = "inventory"
    LOGS = "logs"
    SCAN = "scan"


@dataclass(frozen=True)
class Finding:
    """One rule failing for one subject (a key, a source IP, a file), with its evidence.

    ``evidence`` holds dates, counts and windows - never a secret value.
    """

    rule_id: str
    severity: Severity
    subject: str
    message: str
    provider: str | None = None
    environment: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    at: datetime | None = None
