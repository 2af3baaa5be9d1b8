"""``timeutil.isoformats`` writes exactly what ``isoformat`` writes, value by value."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from toolkit.timeutil import isoformat, isoformats

VALUES = [
    None,
    datetime(2026, 10, 1, tzinfo=UTC),
    datetime(2026, 10, 1, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(2026, 10, 1, 0, 0, 0, 1, tzinfo=UTC),
    datetime(1, 1, 1, tzinfo=UTC),
    datetime(999, 12, 31, 8, 5, 3, tzinfo=UTC),
    datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
    datetime(2026, 3, 29, 2, 30, tzinfo=ZoneInfo("Europe/Paris")),
    datetime(2026, 10, 1, 5, tzinfo=timezone(timedelta(hours=-7))),
    datetime(2026, 10, 1, 5, tzinfo=timezone(timedelta(0))),
    datetime(2026, 10, 1, 5, 6, 7),  # naive: taken as UTC, as isoformat takes it
]


def test_isoformats_equals_isoformat_for_every_value() -> None:
    """Whole seconds, microseconds, years under 1000, other zones, naive and None alike."""
    assert isoformats(VALUES) == [isoformat(v) for v in VALUES]
    assert isoformats(iter(VALUES)) == [isoformat(v) for v in VALUES]


def test_isoformats_of_a_utc_whole_second() -> None:
    """The direct format: ISO 8601 with a Z, no fraction."""
    assert isoformats([datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)]) == ["2026-01-02T03:04:05Z"]
