"""What the loaded logs show beyond the detections: the activity of some keys in a window (an
incident's access review), and the events behind a finding (its trace)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any

from toolkit.timeutil import isoformat


@dataclass(frozen=True)
class SourceActivity:
    """One source address's events for one key in a window."""

    source_ip: str | None
    country: str | None
    events: int
    auth_failures: int
    denied: int
    first_use: datetime
    last_use: datetime


@dataclass(frozen=True)
class ActionActivity:
    """One action's (endpoint, API call) events for one key in a window."""

    action: str | None
    events: int
    failures: int
    """Events whose outcome is not ``success``."""


@dataclass(frozen=True)
class KeyWindow:
    """Every logged event of one key between two instants, summed up."""

    key_id: str
    events: int
    successes: int
    auth_failures: int
    denied: int
    errors: int
    first_use: datetime | None
    last_use: datetime | None
    sources: tuple[SourceActivity, ...]
    countries: tuple[str, ...]
    actions: tuple[ActionActivity, ...]


@dataclass(frozen=True)
class RelatedKey:
    """Another key seen from the watched source addresses in the window."""

    key_id: str
    source_ips: tuple[str, ...]
    events: int
    successes: int
    first_use: datetime
    last_use: datetime


@dataclass(frozen=True)
class KeyActivity:
    """Activity of some keys in ``[start, end]`` and the other keys seen from ``source_ips``.

    ``keys`` has one entry per asked key, in the order asked (zero counts when unseen);
    ``source_ips`` are the addresses asked for, else every address the keys used.
    """

    start: datetime
    end: datetime
    keys: tuple[KeyWindow, ...]
    source_ips: tuple[str, ...]
    related: tuple[RelatedKey, ...]


@dataclass(frozen=True)
class EventLocation:
    """Where one logged event is: its file, and its line (or record, in a file without lines)."""

    path: str
    number: int | None
    unit: str  # 'line', or 'record': a Parquet row, an item of a JSON document (CloudTrail)

    @property
    def line(self) -> int | None:
        """The number when it is a line, else None."""
        return self.number if self.unit == "line" else None

    @property
    def record(self) -> int | None:
        """The number when it is a record, else None."""
        return None if self.unit == "line" else self.number


@dataclass(frozen=True)
class EventTrace:
    """The logged events of one ``EventWindow``: how many, when, and the first few of each.

    ``locations`` and ``request_ids`` are those of the first events in time; ``source_ips``
    and ``countries`` the first distinct ones in order of first use, with their totals.
    """

    events: int
    first: datetime
    last: datetime
    locations: tuple[EventLocation, ...]
    request_ids: tuple[str, ...]
    source_ips: tuple[str, ...]
    source_ip_count: int
    countries: tuple[str, ...]
    country_count: int

    def where(self) -> str:
        """'api.jsonl lines 12, 15, 18 and 9 more': the first events' places, by file."""
        parts = []
        for path, group in groupby(self.locations, key=lambda x: x.path):
            found = list(group)
            numbers = [str(x.number) for x in found if x.number is not None]
            plural = "s" if len(numbers) > 1 else ""
            parts.append(
                f"{path} {found[0].unit}{plural} {', '.join(numbers)}" if numbers else path
            )
        more = self.events - len(self.locations)
        text = "; ".join(parts)
        return f"{text} and {more} more" if more > 0 else text

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output: counts, times (ISO 8601 UTC) and the first events."""
        return {
            "events": self.events,
            "first_event": isoformat(self.first),
            "last_event": isoformat(self.last),
            "locations": [  # as the result document's: line or record, the other null
                {"line": x.line, "path": x.path, "record": x.record} for x in self.locations
            ],
            "request_ids": list(self.request_ids),
            "source_ips": list(self.source_ips),
            "source_ips_total": self.source_ip_count,
            "countries": list(self.countries),
            "countries_total": self.country_count,
        }


TRACE_ITEMS = 3
"""Locations, request ids, addresses and countries a trace lists (then "and N more")."""
