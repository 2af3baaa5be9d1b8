"""The inventory's CSV transport into DuckDB keeps every value (times formatted once each)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from toolkit.analytics.duck.events import connect
from toolkit.analytics.duck.inventory import create_table

COLUMNS = {"n": "INTEGER", "text": "VARCHAR", "flag": "BOOLEAN", "seen": "TIMESTAMPTZ"}


def test_values_survive_and_equal_instants_in_other_zones_come_back_alike() -> None:
    """Quotes, commas, newlines, None, booleans; one instant given in two zones, twice."""
    plus_two = timezone(timedelta(hours=2))
    noon_utc = datetime(2026, 1, 1, 12, tzinfo=UTC)
    rows = [
        (1, 'a"b,c', True, noon_utc.astimezone(plus_two)),
        (2, "two\nlines", False, noon_utc),
        (3, None, None, None),
        (4, "x", True, noon_utc.astimezone(plus_two)),
        (5, "y", False, noon_utc + timedelta(microseconds=1)),
    ]
    con = connect()
    create_table(con, "t", COLUMNS, rows)
    got = con.execute("SELECT n, text, flag, epoch_us(seen) FROM t ORDER BY n").fetchall()
    micros = int(noon_utc.timestamp()) * 1_000_000
    assert got == [
        (1, 'a"b,c', True, micros),
        (2, "two\nlines", False, micros),
        (3, None, None, None),
        (4, "x", True, micros),
        (5, "y", False, micros + 1),
    ]
