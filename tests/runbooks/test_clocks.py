"""Durations and clock states: met, late, overdue, running, not applicable, not yet known."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from toolkit.runbooks.clocks import _state
from toolkit.runbooks.durations import parse_duration

FRIDAY = datetime(2026, 10, 2, 17, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("72h", FRIDAY + timedelta(hours=72)),
        ("30m", FRIDAY + timedelta(minutes=30)),
        ("60d", FRIDAY + timedelta(days=60)),
        ("4bd", datetime(2026, 10, 8, 17, tzinfo=UTC)),  # Mon, Tue, Wed, Thu
        ("1mo", datetime(2026, 11, 2, 17, tzinfo=UTC)),
    ],
)
def test_durations(text: str, expected: datetime) -> None:
    assert parse_duration(text).after(FRIDAY) == expected


def test_month_end_is_clamped() -> None:
    assert parse_duration("1mo").after(datetime(2026, 1, 31, tzinfo=UTC)).day == 28


@pytest.mark.parametrize("text", ["72", "3w", "", "h72"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


START = datetime(2026, 10, 1, 8, tzinfo=UTC)
DUE = START + timedelta(hours=72)


@pytest.mark.parametrize(
    ("applies", "stopped", "as_of", "state"),
    [
        (True, START + timedelta(hours=10), DUE + timedelta(days=9), "met"),
        (True, DUE + timedelta(minutes=1), DUE + timedelta(days=9), "late"),
        (True, None, DUE + timedelta(seconds=1), "overdue"),
        (True, None, DUE, "running"),  # exactly at the deadline: still on time
        (None, None, START, "running"),
        (False, None, DUE + timedelta(days=1), "not_applicable"),
    ],
)
def test_clock_states(applies: bool | None, stopped: datetime | None, as_of: datetime,
                      state: str) -> None:  # fmt: skip
    assert _state("deadline", applies, START, DUE, stopped, as_of)[0] == state


def test_a_clock_whose_event_is_unknown_has_not_started() -> None:
    assert _state("deadline", True, None, None, None, START)[0] == "not_started"
