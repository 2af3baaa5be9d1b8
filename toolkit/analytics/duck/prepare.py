"""Shared intermediate tables every detection reads, each built with one pass over the events."""

from __future__ import annotations

import duckdb

from toolkit.analytics.duck.after_end import build_after_end
from toolkit.analytics.duck.geoip import bare_address_sql
from toolkit.rules.interface import LogQuery, sql_time

_IP = bare_address_sql("source_ip")  # without brackets and port: '[2001:db8::1]:443' is an IPv6
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
  WHEN {_IP} NOT LIKE '%:%' THEN regexp_replace({_IP}, '[.][0-9]+$', '') || '.0/24'
  ELSE array_to_string(list_transform(({_GROUPS})[1:4],
    lambda g: coalesce(nullif(ltrim(g, '0'), ''), '0')), ':') || '::/64'
END"""
"""Where an event came from: its country, else its /24 (IPv4) or /64 (IPv6) network."""


def _period(ctx: LogQuery, ts: str = "ts") -> str:
    """SQL coding an event's period: 2 current, 1 previous, 0 neither (an integer is cheaper
    to compute and group by than text)."""
    return (
        f"CASE WHEN {ts} >= {sql_time(ctx.current_start)} THEN 2 "
        f"WHEN {ts} >= {sql_time(ctx.previous_start)} THEN 1 ELSE 0 END"
    )


PERIOD_NAME = "CASE period WHEN 2 THEN 'current' WHEN 1 THEN 'previous' END"
"""The period code as the text the detections read ('current', 'previous' or NULL)."""


PRINCIPAL_JOIN = """LEFT JOIN (SELECT * FROM inventory WHERE placeholder) p
      ON d.kid IS NULL AND a.key_id IS NOT NULL AND a.key_id NOT LIKE 'ASIA%'
      AND a.principal = p.principal"""
"""Credential-report keys without ids: events of unknown long-term key ids, by principal."""
NO_PRINCIPAL_JOIN = "LEFT JOIN (SELECT NULL::INTEGER AS kid) p ON FALSE"

_COUNTS = """sum(n) AS n, min(first_ts) AS first_ts, max(last_ts) AS last_ts,
      coalesce(sum(n) FILTER (WHERE outcome = 'success'), 0) AS n_success,
      coalesce(sum(n) FILTER (WHERE outcome = 'auth_failed'), 0) AS n_auth_failed,
      coalesce(sum(n) FILTER (WHERE outcome = 'denied'), 0) AS n_denied"""

STATEMENTS = (
    # the events up to as-of
    "CREATE OR REPLACE TEMP VIEW ev AS SELECT * FROM events WHERE ts <= {as_of}",
    # THE pass over all events: grouped by key id (and principal, only when some inventory key
    # is known by principal alone), source, UTC day number, rate period and outcome, with
    # nothing but count/min/max (outcome counts as a group column are much cheaper than
    # filtered aggregates), plus the times of refused events (about 2%) for the burst rules'
    # windows: the list costs the pass almost nothing, a second scan would not; no join here
    """CREATE OR REPLACE TEMP TABLE _agg0 AS
    SELECT key_id, {principal} AS principal, source_ip, country,
      CAST(epoch_ms(ts) // 86400000 AS INTEGER) AS dayno, {period} AS period, outcome,
      principal IS NULL AS no_principal, count(*) AS n, min(ts) AS first_ts, max(ts) AS last_ts,
      list(ts) FILTER (WHERE outcome IN ('auth_failed', 'denied')) AS refused
    FROM ev GROUP BY ALL""",
    "CREATE OR REPLACE TEMP VIEW agg0 AS SELECT * EXCLUDE (refused) FROM _agg0",
    # the failed and denied events, with what the burst rules' windows read
    """CREATE OR REPLACE TEMP TABLE refusals AS
    SELECT unnest(refused) AS ts, key_id, source_ip, outcome FROM _agg0
    WHERE refused IS NOT NULL""",
    # ...attributed to inventory keys (kid) on the much smaller aggregate
    """CREATE OR REPLACE TEMP TABLE agg AS
    SELECT coalesce(d.kid, p.kid) AS kid,
      CASE WHEN d.kid IS NOT NULL THEN 'key_id' WHEN p.kid IS NOT NULL THEN 'principal' END AS via,
      a.* FROM agg0 a LEFT JOIN inventory d ON a.key_id = d.key_id {principal_join}""",
    # per key id (and inventory key) and source: what usage, locations, unknown keys read
    """CREATE OR REPLACE TEMP TABLE src AS
    SELECT kid, via, key_id, source_ip, country, {counts},
      coalesce(sum(n) FILTER (WHERE no_principal), 0) AS n_no_principal,
      min(first_ts) FILTER (WHERE no_principal) AS first_no_principal,
      max(last_ts) FILTER (WHERE no_principal) AS last_no_principal
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
    SELECT kid, to_timestamp(dayno * 86400) AS day, {period_name} AS period, sum(n) AS n,
      coalesce(sum(n) FILTER (WHERE outcome = 'auth_failed'), 0) AS n_failed
    FROM agg WHERE kid IS NOT NULL GROUP BY kid, dayno, period""",
    # the whole log per UTC day (split at the period boundary): coverage, gaps, overall rates
    """CREATE OR REPLACE TEMP TABLE timeline AS
    SELECT to_timestamp(dayno * 86400) AS bucket, {period_name} AS period,
      min(first_ts) AS first_ts, max(last_ts) AS last_ts, sum(n) AS n,
      coalesce(sum(n) FILTER (WHERE outcome = 'auth_failed'), 0) AS n_failed
    FROM agg0 GROUP BY dayno, period""",
)

HOURLY = """CREATE OR REPLACE TEMP TABLE timeline AS
SELECT to_timestamp(hourno * 3600) AS bucket, {period_name} AS period, first_ts, last_ts, n,
  n_failed FROM (
  SELECT CAST(epoch_ms(ts) // 3600000 AS INTEGER) AS hourno, {period} AS period,
    min(ts) AS first_ts, max(ts) AS last_ts, count(*) AS n,
    count(*) FILTER (WHERE outcome = 'auth_failed') AS n_failed
  FROM ev GROUP BY hourno, period)"""
"""The timeline per hour: needed only when gaps shorter than a day must be found (a gap of a
day or more is exactly the gap between the day buckets' last and first events)."""


def prepare(con: duckdb.DuckDBPyConnection, ctx: LogQuery) -> None:
    """Build the shared tables: agg0, agg, src, key_locations, daily, refusals, timeline,
    after_end."""
    con.execute("SET TimeZone = 'UTC'")
    (placeholders,) = con.execute(
        "SELECT count(*) FROM inventory WHERE placeholder"
    ).fetchone() or (0,)
    for statement in STATEMENTS:
        con.execute(
            statement.format(
                as_of=sql_time(ctx.as_of),
                period=_period(ctx),
                location=LOCATION,
                baseline_days=int(ctx.settings.baseline_days),
                principal="principal" if placeholders else "NULL::VARCHAR",
                principal_join=PRINCIPAL_JOIN if placeholders else NO_PRINCIPAL_JOIN,
                counts=_COUNTS,
                period_name=PERIOD_NAME,
            )
        )
    if ctx.settings.max_gap_hours < 24:
        con.execute(HOURLY.format(period=_period(ctx), period_name=PERIOD_NAME))
    build_after_end(con, ctx, by_principal=bool(placeholders))
