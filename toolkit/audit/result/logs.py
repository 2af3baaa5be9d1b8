"""Access logs: per-key usage, the files read and the daily series."""

from __future__ import annotations

from pydantic import Field

from toolkit.audit.result.base import Record, Timestamp


class UsageRecord(Record):
    """One inventory key's logged activity (zero counts when the logs never show it)."""

    attributed_via: str | None = Field(description="key_id, or principal for placeholders")
    countries: list[str]
    denied: int
    events: int
    failures: int = Field(description="failed authentications")
    first_event: Timestamp | None
    key_id: str
    last_event: Timestamp | None
    provider: str
    source_ips: int = Field(description="distinct source addresses")
    successes: int


class DayCount(Record):
    """A count for one UTC day."""

    count: int
    day: str = Field(description="YYYY-MM-DD")


class LogSource(Record):
    """One log file read."""

    events: int
    format: str = Field(description="log format read: house, cloudtrail, vault")
    path: str
    skipped: int


class LogsSection(Record):
    """The access logs: span, counts, sources and daily series."""

    end: Timestamp | None = Field(description="last event")
    events: int
    events_daily: list[DayCount] = Field(description="events per day up to as-of")
    failed_auth_daily: list[DayCount] = Field(description="failed authentications per day")
    skipped: int = Field(description="bad records skipped (--skip-bad-records)")
    sources: list[LogSource]
    start: Timestamp | None = Field(description="first event")
