"""Durations in playbooks and policies: ``30m``, ``72h``, ``60d``, ``4bd`` (workdays), ``1mo``."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

_PATTERN = re.compile(r"^\s*(\d+)\s*(m|h|d|bd|mo)\s*$")
UNITS = {"m": "minute", "h": "hour", "d": "day", "bd": "business day", "mo": "month"}


@dataclass(frozen=True)
class Duration:
    """An amount of one unit; business days skip Saturdays and Sundays, months are calendar ones."""

    amount: int
    unit: str

    def after(self, start: datetime) -> datetime:
        """The moment this long after ``start``."""
        if self.unit == "m":
            return start + timedelta(minutes=self.amount)
        if self.unit == "h":
            return start + timedelta(hours=self.amount)
        if self.unit == "d":
            return start + timedelta(days=self.amount)
        if self.unit == "bd":
            return _business_days(start, self.amount)
        return _months(start, self.amount)

    def text(self) -> str:
        """Readable: '72 hours', '4 business days', '1 month'."""
        name = UNITS[self.unit]
        return f"{self.amount} {name}{'' if self.amount == 1 else 's'}"


def parse_duration(value: str) -> Duration:
    """Parse ``72h`` and friends; ValueError names what is accepted."""
    match = _PATTERN.match(str(value))
    if not match:
        raise ValueError("not a duration (use e.g. 30m, 72h, 60d, 4bd, 1mo)")
    return Duration(int(match.group(1)), match.group(2))


def _business_days(start: datetime, count: int) -> datetime:
    """``count`` working days (Monday to Friday) after ``start``, same time of day."""
    moment = start
    left = count
    while left > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            left -= 1
    return moment


def _months(start: datetime, count: int) -> datetime:
    """The same day ``count`` months later (clamped to the month's last day)."""
    month_index = start.month - 1 + count
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


def span_text(delta: timedelta) -> str:
    """A signed-free span as '2 d 4 h', '3 h 05 min' or '12 min'."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {mins:02d} min"
    return f"{mins} min"
