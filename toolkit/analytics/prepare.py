"""Shared intermediate tables every detection reads, each built with one pass over the events."""

from __future__ import annotations

from toolkit.analytics.detections.interface import Context, sql_time

_IP = "lower(source_ip)"
_PART = (
    "CASE WHEN split_part({ip}, '::', {n}) = '' THEN []::VARCHAR[] "
    "ELSE string_split(split_part({ip}, '::', {n}), ':') END"
)
_HEAD = _PART.format(ip=_IP, n=1)
_TAIL = _PART.format(ip=_IP, n=2)
_GROUPS = (
    f"CASE WHEN {_IP} LIKE '%::%' THEN list_concat({_HEAD}, "
    f"list_transform(range(8 - len({_HEAD}) - len({_TAIL})), lambda x: '0'), {_TAIL}) "
    f"ELSE string_split({_IP}, ':') END"
)
LOCATION = f"""CASE
  WHEN country IS NOT NULL AND country <> '' THEN country
  WHEN source_ip IS NULL OR source_ip = '' THEN NULL
  WHEN source_ip NOT LIKE '%:%' THEN regexp_replace(source_ip, '[.][0-9]+$', '') || '.0/24'
  ELSE array_to_string(list_transform(({_GROUPS})[1:4],
    lambda g: coalesce(nullif(ltrim(g, '0'), ''), '0')), ':') || '::/64'
END"""
"""Where an event came from: its country, else its /24 (IPv4) or /64 (IPv6) network."""


def _period(ctx: Context) -> str:
    """SQL labelling an event's period: 'current', 'previous' or NULL."""
    return (
        f"CASE WHEN ts >= {sql_time(ctx.current_start)} THEN 'current' "
        f"WHEN ts >= {sql_time(ctx.previous_start)} THEN 'previous' END"
    )


STATEMENTS = (
    # the events up to as-of
    "CREATE OR REPLACE TEMP VIEW ev AS SELECT * FROM events WHERE ts <= {as_of}",
    # one row per (key id, principal, source ip, country): counts and first/last use
    """CREATE OR REPLACE TEMP TABLE src AS SELECT key_id, coalesce(principal, '') AS pkey,
      source_ip, country, min(ts) AS first_ts, max(ts) AS last_ts, count(*) AS n,
      count(*) FILTER (WHERE outcome = 'success') AS n_success,
      count(*) FILTER (WHERE outcome = 'auth_failed') AS n_auth_failed,
      count(*) FILTER (WHERE outcome = 'denied') AS n_denied
    FROM ev GROUP BY key_id, coalesce(principal, ''), source_ip, country""",
    # event (key id, principal) -> inventory key: by key id, or by principal for placeholder ids
    """CREATE OR REPLACE TEMP TABLE keymap AS
    WITH pairs AS (SELECT DISTINCT key_id, pkey FROM src WHERE key_id IS NOT NULL)
    SELECT p.key_id, p.pkey, i.kid, 'key_id' AS via
    FROM pairs p JOIN inventory i ON p.key_id = i.key_id
    UNION ALL
    SELECT p.key_id, p.pkey, i.kid, 'principal' AS via
    FROM pairs p JOIN inventory i ON i.placeholder AND p.pkey = i.principal
    WHERE p.key_id NOT LIKE 'ASIA%'
      AND NOT EXISTS (SELECT 1 FROM inventory x WHERE x.key_id = p.key_id)""",
    # per inventory key and location (country, else network): first/last seen, baseline flag
    """CREATE OR REPLACE TEMP TABLE key_locations AS
    WITH loc AS (
      SELECT m.kid, {location} AS location,
        CASE WHEN s.country IS NOT NULL AND s.country <> '' THEN 'country' ELSE 'network' END
          AS kind, s.source_ip, s.first_ts, s.last_ts, s.n, s.n_success
      FROM src s JOIN keymap m ON s.key_id = m.key_id AND s.pkey = m.pkey),
    k AS (SELECT kid, min(first_ts) AS key_first FROM loc GROUP BY kid)
    SELECT l.kid, l.location, min(l.kind) AS kind, min(l.first_ts) AS first_seen,
      max(l.last_ts) AS last_seen, sum(l.n) AS events, sum(l.n_success) AS successes,
      count(DISTINCT l.source_ip) AS source_ips, min(k.key_first) AS key_first,
      min(k.key_first) + INTERVAL '{baseline_days}' DAY AS baseline_end,
      min(l.first_ts) <= min(k.key_first) + INTERVAL '{baseline_days}' DAY AS in_baseline
    FROM loc l JOIN k ON k.kid = l.kid WHERE l.location IS NOT NULL
    GROUP BY l.kid, l.location""",
    # per inventory key and UTC day (split at the period boundary): volume and auth failures;
    # aggregated before the join, on integer day numbers (cheaper than date_trunc on TIMESTAMPTZ)
    """CREATE OR REPLACE TEMP TABLE daily AS
    WITH d AS (SELECT key_id, coalesce(principal, '') AS pkey, epoch_ms(ts) // 86400000 AS dayno,
        {period} AS period, count(*) AS n,
        count(*) FILTER (WHERE outcome = 'auth_failed') AS n_failed
      FROM ev WHERE key_id IS NOT NULL GROUP BY key_id, coalesce(principal, ''),
        epoch_ms(ts) // 86400000, {period})
    SELECT m.kid, to_timestamp(d.dayno * 86400) AS day, d.period, sum(d.n) AS n,
      sum(d.n_failed) AS n_failed
    FROM d JOIN keymap m ON d.key_id = m.key_id AND d.pkey = m.pkey
    GROUP BY m.kid, d.dayno, d.period""",
    # the whole log per hour (split at the period boundary): coverage, gaps, overall rates
    """CREATE OR REPLACE TEMP TABLE hourly AS
    SELECT to_timestamp(hourno * 3600) AS hour, period, first_ts, last_ts, n, n_failed FROM (
      SELECT epoch_ms(ts) // 3600000 AS hourno, {period} AS period, min(ts) AS first_ts,
        max(ts) AS last_ts, count(*) AS n,
        count(*) FILTER (WHERE outcome = 'auth_failed') AS n_failed
      FROM ev GROUP BY epoch_ms(ts) // 3600000, {period})""",
    # events of revoked or expired keys after the end of their life (in the reporting period)
    """CREATE OR REPLACE TEMP TABLE after_end AS
    WITH ended AS (
      SELECT m.key_id, m.pkey, i.kid, i.revoked_at, i.expires_at FROM keymap m
      JOIN inventory i ON i.kid = m.kid
      WHERE i.revoked_at < {as_of} OR i.expires_at < {as_of})
    SELECT k.kid, e.ts, e.outcome, e.source_ip, k.revoked_at, k.expires_at,
      coalesce(e.ts > k.revoked_at, FALSE) AS after_revoked_at,
      coalesce(e.ts > k.expires_at, FALSE) AS after_expires_at
    FROM ev e JOIN ended k ON e.key_id = k.key_id AND coalesce(e.principal, '') = k.pkey
    WHERE (e.ts > k.revoked_at OR e.ts > k.expires_at) AND {since}""",
)


def prepare(ctx: Context) -> None:
    """Build the shared tables: src, keymap, key_locations, daily, hourly, after_end."""
    ctx.con.execute("SET TimeZone = 'UTC'")
    for statement in STATEMENTS:
        ctx.con.execute(
            statement.format(
                as_of=sql_time(ctx.as_of),
                period=_period(ctx),
                location=LOCATION,
                baseline_days=int(ctx.settings.baseline_days),
                since=ctx.since("e.ts"),
            )
        )
