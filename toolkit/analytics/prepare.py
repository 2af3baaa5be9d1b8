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
      ON d.kid IS NULL AND e.key_id IS NOT NULL AND e.key_id NOT LIKE 'ASIA%'
      AND e.principal = p.principal"""
"""Credential-report keys without ids: events of unknown long-term key ids, by principal."""
NO_PRINCIPAL_JOIN = (
    "LEFT JOIN (SELECT NULL::INTEGER AS kid, NULL::TIMESTAMPTZ AS revoked_at, "
    "NULL::TIMESTAMPTZ AS expires_at) p ON FALSE"
)

STATEMENTS = (
    # the events up to as-of
    "CREATE OR REPLACE TEMP VIEW ev AS SELECT * FROM events WHERE ts <= {as_of}",
    # THE one pass over all events: attributed to inventory keys (kid), grouped by key id,
    # source, UTC day number, rate period, and whether the key had ended (revoked / expired)
    """CREATE OR REPLACE TEMP TABLE agg AS
    SELECT coalesce(d.kid, p.kid) AS kid,
      CASE WHEN d.kid IS NOT NULL THEN 'key_id' WHEN p.kid IS NOT NULL THEN 'principal' END AS via,
      e.key_id, e.source_ip, e.country, epoch_ms(e.ts) // 86400000 AS dayno, {period_e} AS period,
      coalesce(e.ts > coalesce(d.revoked_at, p.revoked_at), FALSE) AS after_revoked_at,
      coalesce(e.ts > coalesce(d.expires_at, p.expires_at), FALSE) AS after_expires_at,
      count(*) AS n, min(e.ts) AS first_ts, max(e.ts) AS last_ts,
      count(*) FILTER (WHERE e.outcome = 'success') AS n_success,
      count(*) FILTER (WHERE e.outcome = 'auth_failed') AS n_auth_failed,
      count(*) FILTER (WHERE e.outcome = 'denied') AS n_denied,
      count(*) FILTER (WHERE e.principal IS NULL) AS n_no_principal,
      min(e.ts) FILTER (WHERE e.principal IS NULL) AS first_no_principal,
      max(e.ts) FILTER (WHERE e.principal IS NULL) AS last_no_principal,
      min(e.principal) AS principal
    FROM ev e LEFT JOIN inventory d ON e.key_id = d.key_id {principal_join}
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9""",
    # per key id (and inventory key) and source: what usage, locations, unknown keys read
    """CREATE OR REPLACE TEMP TABLE src AS
    SELECT kid, via, key_id, source_ip, country, min(first_ts) AS first_ts,
      max(last_ts) AS last_ts, sum(n) AS n, sum(n_success) AS n_success,
      sum(n_auth_failed) AS n_auth_failed, sum(n_denied) AS n_denied,
      sum(n_no_principal) AS n_no_principal, min(first_no_principal) AS first_no_principal,
      max(last_no_principal) AS last_no_principal, min(principal) AS principal
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
    # events of revoked or expired keys after the end of their life (in the reporting period)
    """CREATE OR REPLACE TEMP TABLE after_end AS SELECT * FROM agg
    WHERE (after_revoked_at OR after_expires_at) AND {since}""",
)


def prepare(ctx: Context) -> None:
    """Build the shared tables: agg, src, key_locations, daily, hourly, after_end."""
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
                since="TRUE" if ctx.period_start is None else "period = 'current'",
                principal_join=PRINCIPAL_JOIN if placeholders else NO_PRINCIPAL_JOIN,
            )
        )
