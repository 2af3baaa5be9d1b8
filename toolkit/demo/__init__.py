"""Deterministic demo data made by code, so ``keyvigil demo`` works from an installed wheel."""

from datetime import UTC, datetime

DEMO_AS_OF = datetime(2026, 10, 1, tzinfo=UTC)
"""The demo's fixed evaluation time: the day after the quarter the demo logs cover."""
DEMO_LOG_START = datetime(2026, 7, 1, tzinfo=UTC)
"""First day of the demo's access logs (one quarter)."""
