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


def _period(ctx: Context, ts: str = "ts") -> str:
    """SQL labelling an event's period: 'current', 'previous' or NULL."""
    return (
        f"CASE WHEN {ts} >= {sql_time(ctx.current_start)} THEN 'current' "
        f"WHEN {ts} >= {sql_time(ctx.previous_start)} THEN 'previous' END"
    )


PRINCIPAL_JOIN = """LEFT JOIN (SELECT * FROM inventory WHERE placeholder) p
      ON d.kid IS NULL AND a.key_id IS NOT NULL AND a.key_id NOT LIKE 'ASIA%'
      AND a.principal = p.principal"""
"""Credential-report keys without ids: events of unknown long-term key ids, by principal."""
NO_PRINCIPAL_JOIN = "LEFT JOIN (SELECT NULL::INTEGER AS kid) p ON FALSE"

STATEMENTS = (
    # the events up to as-of
    "CREATE OR REPLACE TEMP VIEW ev AS SELECT * FROM events WHERE ts <= {as_of}",
    # THE pass over all events: grouped by key id (and principal, only when some inventory key
    # is known by principal alone), source, UTC day number and rate period; no join here
    """CREATE OR REPLACE TEMP TABLE agg0 AS
    SELECT key_id, {principal} AS principal, source_ip, country,
      epoch_ms(ts) // 86400000 AS dayno, {period} AS period,
      count(*) AS n, min(ts) AS first_ts, max(ts) AS last_ts,
      count(*) FILTER (WHERE outcome = 'success') AS n_success,
      count(*) FILTER (WHERE outcome = 'auth_failed') AS n_auth_failed,
      count(*) FILTER (WHERE outcome = 'denied') AS n_denied,
      count(*) FILTER (WHERE principal IS NULL) AS n_no_principal,
      min(ts) FILTER (WHERE principal IS NULL) AS first_no_principal,
      max(ts) FILTER (WHERE principal IS NULL) AS last_no_principal
    FROM ev GROUP BY 1, 2, 3, 4, 5, 6""",
    # ...attributed to inventory keys (kid) on the much smaller aggregate
    """CREATE OR REPLACE TEMP TABLE agg AS
    SELECT coalesce(d.kid, p.kid) AS kid,
      CASE WHEN d.kid IS NOT NULL THEN 'key_id' WHEN p.kid IS NOT NULL THEN 'principal' END AS via,
      a.* FROM agg0 a LEFT JOIN inventory d ON a.key_id = d.key_id {principal_join}""",
    # events of revoked or expired keys after the end of their life (in the reporting period):
    # a join of the events with the few ended keys
    """CREATE OR REPLACE TEMP TABLE after_end AS
    WITH ended AS (SELECT DISTINCT kid, key_id, principal FROM agg
      WHERE kid IN (SELECT kid FROM inventory WHERE revoked_at < {as_of} OR expires_at < {as_of}))
    SELECT k.kid, e.source_ip, coalesce(e.ts > i.revoked_at, FALSE) AS after_revoked_at,
      coalesce(e.ts > i.expires_at, FALSE) AS after_expires_at, count(*) AS n,
      min(e.ts) AS first_ts, max(e.ts) AS last_ts,
      count(*) FILTER (WHERE e.outcome = 'success') AS n_success,
      count(*) FILTER (WHERE e.outcome = 'auth_failed') AS n_auth_failed,
      count(*) FILTER (WHERE e.outcome = 'denied') AS n_denied
    FROM ev e JOIN ended k ON e.key_id = k.key_id
      AND (k.principal IS NULL OR e.principal = k.principal)
    JOIN inventory i ON i.kid = k.kid
    WHERE (e.ts > i.revoked_at OR e.ts > i.expires_at) AND {since}
    GROUP BY 1, 2, 3, 4""",
    # per key id (and inventory key) and source: what usage, locations, unknown keys read
    """CREATE OR REPLACE TEMP TABLE src AS
    SELECT kid, via, key_id, source_ip, country, min(first_ts) AS first_ts,
      max(last_ts) AS last_ts, sum(n) AS n, sum(n_success) AS n_success,
      sum(n_auth_failed) AS n_auth_failed, sum(n_denied) AS n_denied,
      sum(n_no_principal) AS n_no_principal, min(first_no_principal) AS first_no_principal,
      max(last_no_principal) AS last_no_principal
    FROM agg GROUP BY kid, via, key_id, source_ip, country""",
    # per inventory key and location (country, else network): first/last seen, baseline flag
    """CREATE OR REPLACE TEMP TABLE key_locations AS
    WITH loc AS (
      SELECT kid, {location} AS location,
        CASE WHEN country IS NOT NULL AND country <> '' THEN 'country' ELSE 'network' END
          AS kind, source_ip, first_ts, last_ts, n, n_success
      FROM src WHERE kid IS NOT NULL),
    k AS (SELECT kid, min(first_ts) AS key_first FROM loc GROUP BY kid)
    SELECT l.kid, l.location, min(l.kind) AS kind, min(l.first_ts) AS first_seen,
      max(l.last_ts) AS last_seen, sum(l.n) AS events, sum(l.n_success) AS successes,
      count(DISTINCT l.source_ip) AS source_ips, min(k.key_first) AS key_first,
      min(k.key_first) + INTERVAL '{baseline_days}' DAY AS baseline_end,
      min(l.first_ts) <= min(k.key_first) + INTERVAL '{baseline_days}' DAY AS in_baseline
    FROM loc l JOIN k ON k.kid = l.kid WHERE l.location IS NOT NULL
    GROUP BY l.kid, l.location""",
    # per inventory key and UTC day (split at the period boundary): volume and auth failures
    """CREATE OR REPLACE TEMP TABLE daily AS
    SELECT kid, to_timestamp(dayno * 86400) AS day, period, sum(n) AS n,
      sum(n_auth_failed) AS n_failed
    FROM agg WHERE kid IS NOT NULL GROUP BY kid, dayno, period""",
    # the whole log per hour (split at the period boundary): coverage, gaps, overall rates
    """CREATE OR REPLACE TEMP TABLE hourly AS
    SELECT to_timestamp(hourno * 3600) AS hour, period, first_ts, last_ts, n, n_failed FROM (
      SELECT epoch_ms(ts) // 3600000 AS hourno, {period} AS period, min(ts) AS first_ts,
        max(ts) AS last_ts, count(*) AS n,
        count(*) FILTER (WHERE outcome = 'auth_failed') AS n_failed
      FROM ev GROUP BY epoch_ms(ts) // 3600000, {period})""",
)


def prepare(ctx: Context) -> None:
    """Build the shared tables: agg0, agg, after_end, src, key_locations, daily, hourly."""
    ctx.con.execute("SET TimeZone = 'UTC'")
    (placeholders,) = ctx.con.execute(
        "SELECT count(*) FROM inventory WHERE placeholder"
    ).fetchone() or (0,)
    for statement in STATEMENTS:
        ctx.con.execute(
            statement.format(
                as_of=sql_time(ctx.as_of),
                period=_period(ctx),
                period_e=_period(ctx, "e.ts"),
                location=LOCATION,
                baseline_days=int(ctx.settings.baseline_days),
                since=ctx.since("e.ts"),
                principal="principal" if placeholders else "NULL::VARCHAR",
                principal_join=PRINCIPAL_JOIN if placeholders else NO_PRINCIPAL_JOIN,
            )
        )
