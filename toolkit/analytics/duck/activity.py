"""Per-key activity in a time window, and the other keys seen from the same source addresses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import duckdb

from toolkit.analytics.evidence import (
    ActionActivity,
    KeyActivity,
    KeyWindow,
    RelatedKey,
    SourceActivity,
)

WINDOW = "ts >= $start AND ts <= $end"
TOTALS = f"""SELECT key_id, count(*), count(*) FILTER (WHERE outcome = 'success'),
  count(*) FILTER (WHERE outcome = 'auth_failed'), count(*) FILTER (WHERE outcome = 'denied'),
  count(*) FILTER (WHERE outcome = 'error'), min(ts), max(ts)
FROM events WHERE list_contains($keys, key_id) AND {WINDOW} GROUP BY key_id"""
SOURCES = f"""SELECT key_id, source_ip, country, count(*) AS n,
  count(*) FILTER (WHERE outcome = 'auth_failed'), count(*) FILTER (WHERE outcome = 'denied'),
  min(ts), max(ts)
FROM events WHERE list_contains($keys, key_id) AND {WINDOW}
GROUP BY key_id, source_ip, country ORDER BY key_id, n DESC, source_ip, country"""
ACTIONS = f"""SELECT key_id, action, count(*) AS n,
  count(*) FILTER (WHERE outcome <> 'success')
FROM events WHERE list_contains($keys, key_id) AND {WINDOW}
GROUP BY key_id, action ORDER BY key_id, n DESC, action"""
RELATED = f"""SELECT key_id, list(DISTINCT source_ip ORDER BY source_ip), count(*),
  count(*) FILTER (WHERE outcome = 'success'), min(ts), max(ts)
FROM events WHERE list_contains($ips, source_ip) AND {WINDOW}
  AND key_id IS NOT NULL AND NOT list_contains($keys, key_id)
GROUP BY key_id ORDER BY key_id"""


def _utc(value: Any) -> Any:
    """A DuckDB timestamp as an aware UTC datetime (None stays None)."""
    return value.astimezone(UTC) if isinstance(value, datetime) else value


def _grouped(rows: list[tuple[Any, ...]]) -> dict[str, list[tuple[Any, ...]]]:
    """Rows by their first column (the key id), the rest of each row kept in order."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        out.setdefault(row[0], []).append(tuple(_utc(v) for v in row[1:]))
    return out


def _window(
    key_id: str, total: tuple[Any, ...] | None, sources: list[Any], actions: list[Any]
) -> KeyWindow:
    """One key's summary (zero counts when the window holds none of its events)."""
    events, ok, failed, denied, errors, first, last = total or (0, 0, 0, 0, 0, None, None)
    found = tuple(SourceActivity(*row) for row in sources)
    return KeyWindow(
        key_id=key_id,
        events=events,
        successes=ok,
        auth_failures=failed,
        denied=denied,
        errors=errors,
        first_use=first,
        last_use=last,
        sources=found,
        countries=tuple(sorted({s.country for s in found if s.country})),
        actions=tuple(ActionActivity(*a) for a in actions),
    )


def key_activity(
    con: duckdb.DuckDBPyConnection,
    key_ids: Sequence[str],
    start: datetime,
    end: datetime,
    source_ips: Sequence[str] | None = None,
) -> KeyActivity:
    """Activity of ``key_ids`` in ``[start, end]`` and of other keys from ``source_ips``.

    Without ``source_ips``, the addresses the keys themselves used in the window are watched.
    """
    params: dict[str, Any] = {"keys": list(key_ids), "start": start, "end": end}
    totals = {k: rows[0] for k, rows in _grouped(con.execute(TOTALS, params).fetchall()).items()}
    sources = _grouped(con.execute(SOURCES, params).fetchall())
    actions = _grouped(con.execute(ACTIONS, params).fetchall())
    keys = tuple(
        _window(k, totals.get(k), sources.get(k, []), actions.get(k, []))
        for k in dict.fromkeys(key_ids)
    )
    if source_ips is None:
        seen = {s.source_ip for w in keys for s in w.sources if s.source_ip}
        source_ips = sorted(seen)
    params["ips"] = list(source_ips)
    related = tuple(
        RelatedKey(key_id, tuple(ips), n, ok, _utc(first), _utc(last))
        for key_id, ips, n, ok, first, last in con.execute(RELATED, params).fetchall()
    )
    return KeyActivity(start, end, keys, tuple(source_ips), related)
