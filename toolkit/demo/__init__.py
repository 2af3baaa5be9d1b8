"""Deterministic demo data made by code, so ``keyvigil demo`` works from an installed wheel."""

from datetime import UTC, datetime, timedelta

DEMO_AS_OF = datetime(2026, 10, 1, tzinfo=UTC)
"""The demo's fixed evaluation time: the day after the quarter the demo logs cover."""
DEMO_LOG_START = datetime(2026, 7, 1, tzinfo=UTC)
"""First day of the demo's access logs (one quarter)."""
GAP = (datetime(2026, 8, 10, 6), timedelta(hours=54))
"""A multi-day silence in every demo log: no events at all (log-retention-gap)."""


def in_gap(ts: datetime) -> bool:
    """True inside the demo's deliberate silence (shared by the house and CloudTrail logs)."""
    start = GAP[0].replace(tzinfo=ts.tzinfo)
    return start <= ts < start + GAP[1]
