"""Trace log findings back to their events: files and lines, request ids, addresses, countries.

One statement for all windows: the events of each window's key (or keyless source) are joined
to a small table of windows by equality, so the loaded events are scanned once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb

from toolkit.analytics.duck.prepare import LOCATION
from toolkit.analytics.duck.readers.base import position_unit
from toolkit.analytics.evidence import TRACE_ITEMS, EventLocation, EventTrace
from toolkit.rules.interface import EventWindow

WINDOWS = """CREATE OR REPLACE TEMP TABLE _trace_windows AS
SELECT unnest(?::INTEGER[]) AS i, unnest(?::VARCHAR[]) AS w_key, unnest(?::VARCHAR[]) AS w_ip,
  unnest(?::VARCHAR[]) AS w_outcome, unnest(?::VARCHAR[]) AS w_location,
  unnest(?::TIMESTAMPTZ[]) AS lo, unnest(?::TIMESTAMPTZ[]) AS hi,
  unnest(?::BOOLEAN[]) AS w_nobody"""

# An event's location is its country, else its network (LOCATION): the costly network form is
# worked out only for events without a country.
_MATCH = f"""e.ts BETWEEN w.lo AND w.hi AND (w.w_outcome IS NULL OR e.outcome = w.w_outcome)
    AND CASE WHEN w.w_location IS NULL THEN TRUE
             WHEN coalesce(e.country, '') <> '' THEN e.country = w.w_location
             ELSE ({LOCATION}) = w.w_location END"""

# ``_event_rows`` is ``events`` with the file id and line instead of the source text, so the
# join reads only what it compares; the text is made for the matched rows alone (in TRACE).
BY_KEY = f"""SELECT w.i, e.ts, e.file_id, e.line, e.request_id, e.source_ip, e.country
  FROM _event_rows e JOIN _trace_windows w ON e.key_id = w.w_key WHERE {_MATCH}"""
BY_SOURCE = f"""SELECT w.i, e.ts, e.file_id, e.line, e.request_id, e.source_ip, e.country
  FROM (SELECT * FROM _event_rows WHERE key_id IS NULL) e
  JOIN _trace_windows w ON e.source_ip = w.w_ip
  WHERE w.w_key IS NULL AND {_MATCH}"""
BY_NOBODY = f"""SELECT w.i, e.ts, e.file_id, e.line, e.request_id, e.source_ip, e.country
  FROM (SELECT * FROM _event_rows WHERE key_id IS NULL AND principal IS NULL) e
  JOIN _trace_windows w ON w.w_nobody WHERE {_MATCH}"""
"""The events of windows by key, of windows by a keyless source, and of windows of events
naming no key and no principal (each read only if asked)."""

TRACE = """
WITH m AS MATERIALIZED (
  SELECT * EXCLUDE (file_id, line), event_source(file_id, line) AS source FROM ({matched})),
t AS (SELECT i, count(*) AS n, min(ts) AS first_ts, max(ts) AS last_ts,
    min_by(source, row(ts, source), {items}) AS sources,
    min_by(request_id, row(ts, source), {items}) FILTER (WHERE request_id <> '')
      AS rids
  FROM m GROUP BY i),
ips AS (SELECT i, count(*) AS n_ips, list(source_ip ORDER BY f, source_ip)[1:{items}] AS ips
  FROM (SELECT i, source_ip, min(ts) AS f FROM m WHERE source_ip <> '' GROUP BY i, source_ip)
  GROUP BY i),
cc AS (SELECT i, count(*) AS n_cc, list(country ORDER BY f, country)[1:{items}] AS cc
  FROM (SELECT i, country, min(ts) AS f FROM m WHERE country <> '' GROUP BY i, country)
  GROUP BY i)
SELECT t.i, t.n, t.first_ts, t.last_ts, t.sources, t.rids, ips.ips, ips.n_ips, cc.cc, cc.n_cc
FROM t LEFT JOIN ips USING (i) LEFT JOIN cc USING (i) ORDER BY t.i"""


def trace(
    con: duckdb.DuckDBPyConnection,
    windows: Sequence[EventWindow],
    formats: Mapping[str, str],
) -> dict[EventWindow, EventTrace]:
    """Each window's events traced to their files; ``formats`` is path -> 'reader/variant'."""
    unique = list(dict.fromkeys(w for w in windows if w.key_id or w.source_ip or w.unattributed))
    if not unique:
        return {}
    nobody = [w.unattributed and not (w.key_id or w.source_ip) for w in unique]
    columns: list[list[Any]] = [
        list(range(len(unique))),
        [w.key_id for w in unique],
        [w.source_ip for w in unique],
        [w.outcome for w in unique],
        [w.location for w in unique],
        [w.start for w in unique],
        [w.end for w in unique],
        nobody,
    ]
    con.execute("SET TimeZone = 'UTC'")
    con.execute(WINDOWS, columns)
    parts = [BY_KEY] if any(w.key_id for w in unique) else []
    parts += [BY_SOURCE] if any(not w.key_id and w.source_ip for w in unique) else []
    parts += [BY_NOBODY] if any(nobody) else []
    matched = "\nUNION ALL\n".join(parts)
    rows = con.execute(TRACE.format(matched=matched, items=TRACE_ITEMS)).fetchall()
    con.execute("DROP TABLE IF EXISTS _trace_windows")
    return {unique[row[0]]: _trace(row, formats) for row in rows}


def _trace(row: tuple[Any, ...], formats: Mapping[str, str]) -> EventTrace:
    """One result row as an EventTrace."""
    _i, events, first, last, sources, rids, ips, n_ips, countries, n_cc = row
    return EventTrace(
        events=events,
        first=first,
        last=last,
        locations=tuple(location(s, formats) for s in sources or ()),
        request_ids=tuple(rids or ()),
        source_ips=tuple(ips or ()),
        source_ip_count=n_ips or 0,
        countries=tuple(countries or ()),
        country_count=n_cc or 0,
    )


def location(source: str, formats: Mapping[str, str]) -> EventLocation:
    """An event's ``source`` (``path:number``) as a location: a line, or a record of a file
    without lines (``position_unit``)."""
    path, sep, number = source.rpartition(":")
    if not sep or not number.isdigit():
        path, number = source, ""
    unit = position_unit(formats.get(path, ""))
    return EventLocation(path, int(number) if number else None, unit)
