"""What a detection is: an id (the rule id), an alert tier, and SQL over the prepared tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import duckdb

from toolkit.analytics.settings import DetectionSettings
from toolkit.rules.interface import Severity, Tier


def sql_time(value: datetime) -> str:
    """A TIMESTAMPTZ literal for an aware datetime (values we made, never user text)."""
    return f"TIMESTAMPTZ '{value.isoformat()}'"


@dataclass(frozen=True)
class Context:
    """Everything a detection reads: the connection with the prepared tables, thresholds, times.

    Periods: events at or after ``period_start`` (None: the whole log) are reported; rates and
    trends compare ``[current_start, as_of]`` with ``[previous_start, current_start)``.
    """

    con: duckdb.DuckDBPyConnection
    settings: DetectionSettings
    as_of: datetime
    period_start: datetime | None
    has_inventory: bool
    known_locations: bool = False

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

    def fetch(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Run ``sql`` and return its rows as dicts."""
        cursor = self.con.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@dataclass(frozen=True)
class Hit:
    """One detection result for one subject; becomes a Finding or an alert."""

    subject: str
    severity: Severity
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)
    provider: str | None = None
    environment: str | None = None


@dataclass(frozen=True)
class Detection:
    """A named detection: its id, the seed's alert tier, and the function that runs it.

    Its findings carry ``rule_id`` (default: the detection's own id, a DESIGN.md rule id).
    """

    id: str
    tier: Tier
    title: str
    run: Callable[[Context], list[Hit]]
    rule_id: str | None = None

    @property
    def rule(self) -> str:
        """The rule id its findings are reported under."""
        return self.rule_id or self.id


def key_hit(row: dict[str, Any], severity: Severity, message: str, drop: tuple[str, ...]) -> Hit:
    """A Hit about an inventory key: subject, provider and environment from the row."""
    skip = {"key_id", "provider", "environment", "kid", *drop}
    evidence = {k: v for k, v in row.items() if k not in skip}
    return Hit(row["key_id"], severity, message, evidence, row["provider"], row["environment"])
