"""The log backend: what an engine that reads and analyses access logs does, and what it returns.

An engine is one package under ``toolkit/analytics/`` (DuckDB: ``duck/``), registered in
``toolkit/analytics/__init__.py``. Nothing outside its package sees how it stores events.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from toolkit.analytics.evidence import EventTrace, KeyActivity
from toolkit.errors import IngestError, ToolkitError
from toolkit.rules.catalogue import LOG_CHECKS
from toolkit.rules.interface import EventWindow, Hit, LogCheck, Tier
from toolkit.rules.model import Rule
from toolkit.rules.settings import DetectionSettings

PLACEHOLDER = re.compile(r"#access_key_\d+$")
"""Credential-report rows without a key id get ``<user ARN>#access_key_N``: match by principal."""


def is_placeholder(key_id: str) -> bool:
    """True for ids that stand for "the Nth key of this user" rather than a real key id."""
    return bool(PLACEHOLDER.search(key_id))


class InventoryKey(Protocol):
    """What a log backend reads of an inventory key: the store's ``KeyBase`` is one, and so is
    any record with these attributes (an engine never needs the store's models)."""

    @property
    def key_id(self) -> str:
        """The provider's identifier (a credential-report placeholder stands for a user's key)."""

    @property
    def provider(self) -> str:
        """aws, gcp, azure, house or the user's name."""

    @property
    def principal(self) -> str | None:
        """The identity the key acts as."""

    @property
    def environment(self) -> str | None:
        """dev, staging, prod..."""

    @property
    def name(self) -> str | None:
        """Human-readable identifier."""

    @property
    def owner(self) -> str | None:
        """Person or team answerable for the key."""

    @property
    def active(self) -> bool:
        """The key can still authenticate."""

    @property
    def created_at(self) -> datetime | None:
        """When the key was created."""

    @property
    def expires_at(self) -> datetime | None:
        """When the key expires (None: never)."""

    @property
    def last_used_at(self) -> datetime | None:
        """Last use as the inventory reports it."""

    @property
    def last_rotated_at(self) -> datetime | None:
        """Last rotation of the key material."""

    @property
    def revoked_at(self) -> datetime | None:
        """When the key was revoked."""


class AnalyticsError(ToolkitError):
    """The access-log analysis cannot run (for instance: nothing loaded yet)."""


@dataclass(frozen=True)
class LoadOptions:
    """How to read the files: a forced format, skipping bad records, the zone of naive times,
    and whether the detail columns are wanted."""

    log_format: str | None = None
    skip_bad_records: bool = False
    assume_tz: str | None = None
    details: bool = False
    """Also read what only ``key_activity`` shows (actions, user agents, error codes and texts);
    without them, ``key_activity`` reads the logs once more, in full."""


@dataclass(frozen=True)
class BadRecord:
    """A record that could not be read: where it is and why (never its content)."""

    path: str
    line: int | None  # its line in the file, or its record number when ``unit`` is 'record'
    field: str | None
    reason: str
    unit: str = "line"  # 'record' in files without lines (Parquet rows, a JSON document's items)

    def error(self, more: str = "") -> IngestError:
        """This bad record as the error a user sees (``more`` is added to its reason)."""
        where = {"record" if self.unit == "record" else "line": self.line}
        return IngestError(self.path, self.reason + more, field=self.field, **where)

    def __str__(self) -> str:
        """``file:line: field: reason`` as in error messages."""
        return str(self.error())


@dataclass(frozen=True)
class FileReport:
    """What was read from one file."""

    path: str
    log_format: str  # reader name and variant, e.g. 'house/jsonl', 'cloudtrail/document'
    events: int
    skipped: int
    min_ts: datetime | None
    max_ts: datetime | None
    ignored: int = 0  # well-formed records that are not access events (duplicates, Insights)


@dataclass(frozen=True)
class LoadReport:
    """The outcome of a load: per-file formats and counts, skipped records, time span."""

    files: tuple[FileReport, ...]
    events: int
    skipped: int
    bad_records: tuple[BadRecord, ...]  # the first skipped records, with file:line
    min_ts: datetime | None
    max_ts: datetime | None
    ignored: int = 0  # records read but not access events (see FileReport.ignored)
    unparsed_ips: int = 0  # events whose source_ip looks like an address but is not valid
    unparsed_ip_examples: tuple[str, ...] = field(default=())  # a few of those values
    non_ip_sources: int = 0  # events whose source is a name ('ec2.amazonaws.com'), no country

    @property
    def formats(self) -> dict[str, str]:
        """Path -> detected format."""
        return {f.path: f.log_format for f in self.files}

    def notes(self) -> list[str]:
        """What was read but not used, as lines for a user (bad records are listed apart)."""
        lines = []
        if self.ignored:
            lines.append(
                f"ignored {self.ignored} record(s) that are not access events "
                "(CloudTrail Insights summaries, repeated deliveries of one event)"
            )
        if self.unparsed_ips:
            shown = ", ".join(self.unparsed_ip_examples)
            lines.append(
                f"{self.unparsed_ips} event(s) with a source address that is not a valid IP "
                f"address, kept without a country (e.g. {shown})"
            )
        if self.non_ip_sources:
            lines.append(
                f"{self.non_ip_sources} event(s) from a named source such as a cloud service, "
                "kept without a country"
            )
        return lines


@dataclass(frozen=True)
class KeyUsage:
    """One inventory key's logged activity (zero counts when the logs never show it)."""

    key_id: str
    provider: str
    first_seen: datetime | None
    last_seen: datetime | None
    events: int
    successes: int
    auth_failures: int
    denied: int
    source_ips: int
    countries: list[str] = field(default_factory=list)
    attributed_via: str | None = None
    """``key_id`` (the log names the key) or ``principal`` (credential-report placeholder)."""


@dataclass(frozen=True)
class DailyCount:
    """One UTC day of the whole log up to as-of: its events and authentication failures."""

    day: date
    events: int
    auth_failures: int


@dataclass(frozen=True)
class Coverage:
    """What the analysed log covers: first and last event, events, keys seen."""

    first_event: datetime | None
    last_event: datetime | None
    events: int
    inventory_keys: int
    keys_with_events: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output, in this order."""
        return {
            "first_event": self.first_event,
            "last_event": self.last_event,
            "events": self.events,
            "inventory_keys": self.inventory_keys,
            "keys_with_events": self.keys_with_events,
        }


@dataclass(frozen=True)
class Analysis:
    """Everything one analysis found: hits per log check, usage per key, the daily series."""

    as_of: datetime
    period_start: datetime | None
    settings: DetectionSettings
    hits: Mapping[str, tuple[Hit, ...]]
    """Every log check's hits, by check id (``LOG_CHECKS``)."""
    usage: tuple[KeyUsage, ...]
    """One row per inventory key, in inventory order."""
    daily: tuple[DailyCount, ...]
    coverage: Coverage
    timings: Mapping[str, float] = field(default_factory=dict)

    def tiered(self) -> list[tuple[Tier, Rule, LogCheck, Hit]]:
        """Every hit with its alert tier, rule and check, in catalogue order."""
        return [
            (check.tier or rule.tier, rule, check, hit)
            for rule, check in LOG_CHECKS
            for hit in self.hits.get(check.id, ())
        ]


class LogBackend(Protocol):
    """An engine holding one set of loaded access logs: load, analyse, look up activity."""

    name: str

    def load(self, paths: Sequence[str | Path], options: LoadOptions) -> LoadReport:
        """Read log files, globs and folders; bad input raises IngestError naming the place."""
        ...

    def analyse(
        self,
        keys: Sequence[InventoryKey],
        settings: DetectionSettings,
        as_of: datetime,
        period_start: datetime | None = None,
    ) -> Analysis:
        """Run every log check over the loaded events and the inventory ``keys``."""
        ...

    def key_activity(
        self,
        key_ids: Sequence[str],
        start: datetime,
        end: datetime,
        source_ips: Sequence[str] | None = None,
    ) -> KeyActivity:
        """Every event of ``key_ids`` in ``[start, end]``, and other keys from the same IPs.

        Actions need the detail columns: after a load without ``details``, the engine reads
        them (or the logs again) first, so the answer never lacks them.
        """
        ...

    def trace(self, windows: Sequence[EventWindow]) -> dict[EventWindow, EventTrace]:
        """The loaded events of each window traced to their files (windows with none left out)."""
        ...

    def interrupt(self) -> None:
        """Stop what the engine is running on another thread (it fails there); idle: nothing."""

    def close(self) -> None:
        """Free what the engine holds (memory, temporary files)."""
