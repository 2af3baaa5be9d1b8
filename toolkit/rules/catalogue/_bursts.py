"""Shared SQL of the sliding-window burst rules (failed authentications, denied calls).

A rule names its subjects (``kind``, ``subject``, ``ts`` per counted event); every window of
``seconds`` (both ends inclusive) holding more than ``threshold`` of them is found, and
overlapping windows are merged into one episode per subject.
"""

from __future__ import annotations

from typing import Any

from toolkit.rules.interface import EventWindow, Hit, LogQuery, Severity

EPISODES = """
WITH f AS ({subjects}),
w AS (
  SELECT kind, subject, ts, count(*) OVER win AS n, min(ts) OVER win AS window_start FROM f
  WINDOW win AS (PARTITION BY kind, subject ORDER BY ts
    RANGE BETWEEN INTERVAL '{seconds}' SECOND PRECEDING AND CURRENT ROW)),
q AS (
  SELECT kind, subject, ts, n, window_start,
    CASE WHEN lag(ts) OVER (PARTITION BY kind, subject ORDER BY ts) >= window_start
      THEN 0 ELSE 1 END AS new_episode
  FROM w WHERE n > {threshold}),
e AS (
  SELECT *, sum(new_episode) OVER (PARTITION BY kind, subject ORDER BY ts
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS episode FROM q)
SELECT kind, subject, episode, min(window_start) AS start, max(ts) AS "end",
  max(n) AS max_in_window, count(*) AS windows_over
FROM e GROUP BY kind, subject, episode HAVING {since}
ORDER BY kind, subject, start
"""

OWNER = """SELECT DISTINCT s.key_id, i.provider, i.environment FROM src s
JOIN inventory i ON i.kid = s.kid WHERE s.{counted} > 0"""

Owners = dict[str, tuple[str | None, str | None]]
"""Inventory key id -> (provider, environment)."""

EVIDENCE = ("start", "end", "max_in_window", "windows_over")
"""What every episode's evidence carries (a rule may add to it)."""


def episodes(
    ctx: LogQuery, subjects: str, seconds: float, threshold: float
) -> list[dict[str, Any]]:
    """Every episode of more than ``threshold`` events of ``subjects`` within ``seconds``."""
    sql = EPISODES.format(
        subjects=subjects,
        seconds=int(seconds),
        threshold=int(threshold),
        since=ctx.since("max(ts)"),
    )
    return ctx.fetch(sql)


def owners(ctx: LogQuery, counted: str, found: list[dict[str, Any]]) -> Owners:
    """Inventory key id -> (provider, environment), for the keys with ``counted`` events (the
    ``src`` column the rule's subjects are counted in); none asked when no episode was
    ``found``."""
    if not found:
        return {}
    rows = ctx.fetch(OWNER.format(counted=counted))
    return {r["key_id"]: (r["provider"], r["environment"]) for r in rows}


def episode_hit(
    row: dict[str, Any],
    known: Owners,
    message: str,
    limits: tuple[float, float],
    outcome: str,
    fields: tuple[str, ...] = EVIDENCE,
) -> Hit:
    """One episode as a high Hit: ``fields`` of the row plus ``limits`` (threshold, seconds)."""
    evidence = {k: row[k] for k in fields}
    evidence["threshold"], evidence["window_seconds"] = limits
    provider, environment = known.get(row["subject"], (None, None))
    by = {row["kind"]: row["subject"]}  # key_id, or source_ip for events without a key
    window = EventWindow(row["start"], row["end"], outcome=outcome, **by)
    return Hit(row["subject"], Severity.HIGH, message, evidence, provider, environment, window)
