"""The shared shapes of the rule catalogue: what a rule is given, and the findings it produces."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from toolkit.errors import RuleError
from toolkit.rules.settings import DetectionSettings

if TYPE_CHECKING:
    from toolkit.models import KeyBase
    from toolkit.rules.model import Rule
    from toolkit.rules.policy import Policy
    from toolkit.scan.results import ScanResults


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
class EventWindow:
    """Which logged events a log finding is about, so they can be traced to their files.

    Events of ``key_id`` (else of ``source_ip``; else, ``unattributed``, the events naming
    neither a key nor a principal) from ``start`` to ``end`` (both included), narrowed to one
    ``outcome`` and one ``location`` (country, else /24 or /64 network) if set.
    """

    start: datetime
    end: datetime
    key_id: str | None = None
    source_ip: str | None = None
    outcome: str | None = None
    location: str | None = None
    unattributed: bool = False


@dataclass(frozen=True)
class Finding:
    """One rule failing for one subject (a key, a source IP, a file), with its evidence.

    ``evidence`` holds dates, counts and windows - never a secret value. ``window`` names the
    logged events behind a log finding (None for other findings).
    """

    rule_id: str
    severity: Severity
    subject: str
    message: str
    provider: str | None = None
    environment: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    at: datetime | None = None
    window: EventWindow | None = None


@dataclass(frozen=True)
class Unjudged:
    """A subject a rule did not judge because its input cannot show the fact (never a pass).

    ``reason`` says what is missing, e.g. "usage unknown: no access logs for this key".
    """

    rule_id: str
    subject: str
    reason: str
    provider: str | None = None
    environment: str | None = None


@dataclass(frozen=True)
class Hit:
    """One log check's result for one subject; the rule turns it into a Finding or an alert."""

    subject: str
    severity: Severity
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)
    provider: str | None = None
    environment: str | None = None
    window: EventWindow | None = None


Row = dict[str, Any]
"""One result row of a log check's query, by column name."""


@dataclass(frozen=True)
class LogQuery:
    """What a log check reads: portable SQL over the log backend's prepared relations.

    ``fetch`` runs one SELECT and returns its rows; the relations it may read (``ev``,
    ``inventory``, ``agg``, ``src``, ``key_locations``, ``daily``, ``refusals``,
    ``timeline``, ``after_end``) are described in docs/alerts.md. Periods: events at or after
    ``period_start`` (None: the whole log) are reported; rates and trends compare
    ``[current_start, as_of]`` with ``[previous_start, current_start)``.
    """

    fetch: Callable[[str], list[Row]]
    settings: DetectionSettings
    as_of: datetime
    period_start: datetime | None
    has_inventory: bool

    @property
    def current_start(self) -> datetime:
        """Start of the current period for rate and trend comparisons."""
        return self.period_start or self.as_of - timedelta(days=self.settings.rate_period_days)

    @property
    def previous_start(self) -> datetime:
        """Start of the previous period, as long as the current one."""
        return self.current_start - (self.as_of - self.current_start)

    def since(self, column: str) -> str:
        """A SQL condition keeping rows whose ``column`` is in the reporting period."""
        if self.period_start is None:
            return "TRUE"
        return f"{column} >= {sql_time(self.period_start)}"


def sql_time(value: datetime) -> str:
    """A TIMESTAMPTZ literal for an aware datetime (values we made, never user text)."""
    return f"TIMESTAMPTZ '{value.isoformat()}'"


@dataclass(frozen=True)
class LogCheck:
    """One query of a log rule; its hits become the rule's findings.

    ``id`` is the rule id, or a name of its own for a rule's further checks; ``tier``
    overrides the rule's alert tier for this check's alerts.
    """

    id: str
    run: Callable[[LogQuery], list[Hit]]
    tier: Tier | None = None


@dataclass(frozen=True)
class RuleInputs:
    """Everything a rule is evaluated over; inputs not given are None.

    ``hits`` holds every log check's hits by check id (the log backend's analysis).
    """

    keys: Sequence[KeyBase]
    policy: Policy
    as_of: datetime
    hits: Mapping[str, Sequence[Hit]] | None = None
    scan: ScanResults | None = None
    log_events: int | None = None

    @cached_property
    def active_keys(self) -> list[KeyBase]:
        """The keys that can still authenticate (enabled, not revoked), picked out once."""
        return [key for key in self.keys if key.active]

    def given(self, need: Needs) -> bool:
        """True when the input a rule needs is present (an inventory always is, maybe empty)."""
        return self.missing(need) is None

    def missing(self, need: Needs) -> str | None:
        """Why the input ``need`` cannot be judged from, or None when it is there.

        Logs with no event up to the as-of time (``log_events == 0``) and a scan that names
        neither a scanned root nor a finding covered nothing: missing evidence, not clean.
        """
        if need is Needs.LOGS:
            if self.hits is None:
                return "no access logs given"
            return (
                "the access logs hold no events up to the as-of time"
                if self.log_events == 0
                else None
            )
        if need is Needs.SCAN:
            if self.scan is None:
                return "no scan results given"
            covered = self.scan.roots or self.scan.findings
            return None if covered else "the scan results name no scanned folder and no finding"
        return None

    def scan_results(self) -> ScanResults:
        """The scan results (the engine runs scan rules only when they were given)."""
        if self.scan is None:
            raise RuleError("no scan results given")
        return self.scan

    def check_hits(self, check_id: str) -> Sequence[Hit]:
        """The hits of one log check (the engine runs log rules only when logs were given)."""
        if self.hits is None:
            raise RuleError("no access logs given")
        return self.hits.get(check_id, ())


class RuleModule(Protocol):
    """A rule: a module with its metadata ``RULE`` and an ``evaluate`` function."""

    RULE: Rule

    def evaluate(self, inputs: RuleInputs) -> Iterable[Finding | Unjudged]:
        """The rule's findings over ``inputs``, and the subjects it could not judge."""
        ...
