"""``after_end``: events of revoked or expired keys after the end of their life, from the
aggregate; only the UTC days on which a key's end (or the period start) falls are re-read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb

from toolkit.rules.interface import LogQuery, sql_time

# Aggregate groups (one key id, source, UTC day, outcome) of ended keys that may hold events
# after the end, and whether the group straddles a boundary (end of life, period start).
GROUPS = """CREATE OR REPLACE TEMP TABLE _ended_groups AS
SELECT a.kid, a.key_id, a.principal, a.source_ip, a.dayno, a.outcome, a.n, a.first_ts,
  a.last_ts, i.revoked_at, i.expires_at,
  coalesce(a.first_ts <= i.revoked_at AND a.last_ts > i.revoked_at, FALSE)
    OR coalesce(a.first_ts <= i.expires_at AND a.last_ts > i.expires_at, FALSE)
    OR ({since_first}) <> ({since_last}) AS straddles
FROM agg a JOIN inventory i ON i.kid = a.kid
WHERE (i.revoked_at < {as_of} OR i.expires_at < {as_of})
  AND (a.last_ts > i.revoked_at OR a.last_ts > i.expires_at)"""

DAYS = """CREATE OR REPLACE TEMP TABLE _ended_days AS
SELECT DISTINCT kid, key_id, principal, dayno, revoked_at, expires_at
FROM _ended_groups WHERE straddles"""

_FLAGS = """coalesce({ts} > {p}revoked_at, FALSE) AS after_revoked_at,
  coalesce({ts} > {p}expires_at, FALSE) AS after_expires_at"""

# Whole groups: every event of the group is on the same side of every boundary.
WHOLE = f"""SELECT g.kid, g.source_ip, {_FLAGS.format(ts="g.first_ts", p="g.")}, g.outcome, g.n,
  g.first_ts, g.last_ts
FROM _ended_groups g ANTI JOIN _ended_days d ON d.kid = g.kid AND d.key_id = g.key_id
  AND d.principal IS NOT DISTINCT FROM g.principal AND d.dayno = g.dayno
WHERE (g.first_ts > g.revoked_at OR g.first_ts > g.expires_at) AND {{since_first}}"""

# The straddled days, event by event (a time-range scan: the table is read only there).
EVENTS = f"""SELECT d.kid, e.source_ip, {_FLAGS.format(ts="e.ts", p="d.")}, e.outcome,
  1 AS n, e.ts AS first_ts, e.ts AS last_ts
FROM ev e JOIN _ended_days d ON e.key_id = d.key_id
  AND CAST(epoch_ms(e.ts) // 86400000 AS INTEGER) = d.dayno {{principal}}
WHERE e.ts >= {{low}} AND e.ts < {{high}}
  AND (e.ts > d.revoked_at OR e.ts > d.expires_at) AND {{since_e}}"""

AFTER_END = """CREATE OR REPLACE TEMP TABLE after_end AS
SELECT kid, source_ip, after_revoked_at, after_expires_at, sum(n) AS n,
  min(first_ts) AS first_ts, max(last_ts) AS last_ts,
  coalesce(sum(n) FILTER (WHERE outcome = 'success'), 0) AS n_success,
  coalesce(sum(n) FILTER (WHERE outcome = 'auth_failed'), 0) AS n_auth_failed,
  coalesce(sum(n) FILTER (WHERE outcome = 'denied'), 0) AS n_denied
FROM ({parts}) GROUP BY kid, source_ip, after_revoked_at, after_expires_at"""


def _day(dayno: int) -> datetime:
    """The start of a UTC day number."""
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(days=dayno)


def build_after_end(con: duckdb.DuckDBPyConnection, ctx: LogQuery, by_principal: bool) -> None:
    """The ``after_end`` table (per inventory key, source and which end it follows)."""
    con.execute(
        GROUPS.format(
            as_of=sql_time(ctx.as_of),
            since_first=ctx.since("a.first_ts"),
            since_last=ctx.since("a.last_ts"),
        )
    )
    con.execute(DAYS)
    parts = [WHOLE.format(since_first=ctx.since("g.first_ts"))]
    low, high = con.execute("SELECT min(dayno), max(dayno) FROM _ended_days").fetchone() or (
        None,
        None,
    )
    if low is not None:
        principal = "AND e.principal IS NOT DISTINCT FROM d.principal" if by_principal else ""
        parts.append(
            EVENTS.format(
                principal=principal,
                low=sql_time(_day(low)),
                high=sql_time(_day(high + 1)),
                since_e=ctx.since("e.ts"),
            )
        )
    con.execute(AFTER_END.format(parts="\nUNION ALL\n".join(parts)))
