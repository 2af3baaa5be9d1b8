"""failed-auth-burst (log rule): more than N auth failures for one key (or keyless source IP) in any
sliding window; overlapping windows are merged into one episode."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from toolkit.rules.interface import (
    Finding,
    Hit,
    LogCheck,
    LogQuery,
    Needs,
    RuleInputs,
    Severity,
    Tier,
)
from toolkit.rules.model import Rule, log_findings

SQL = """
WITH f AS (
  SELECT CASE WHEN key_id IS NOT NULL THEN 'key_id' ELSE 'source_ip' END AS kind,
    coalesce(key_id, source_ip) AS subject, ts
  FROM ev WHERE outcome = 'auth_failed' AND (key_id IS NOT NULL OR source_ip IS NOT NULL)),
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
JOIN inventory i ON i.kid = s.kid"""


def _hit(row: dict[str, Any], owners: dict[str, tuple[str, str]], ctx: LogQuery) -> Hit:
    """One episode as a Hit."""
    what = "key" if row["kind"] == "key_id" else "source IP (no key)"
    message = (
        f"{row['max_in_window']} failed authentications within "
        f"{ctx.settings.failed_auth_window_seconds} s for {what} "
        f"({row['start']:%Y-%m-%d %H:%M:%S} .. {row['end']:%H:%M:%S} UTC); "
        f"threshold: more than {ctx.settings.failed_auth_threshold}"
    )
    evidence = {k: row[k] for k in ("kind", "start", "end", "max_in_window", "windows_over")}
    evidence["threshold"] = ctx.settings.failed_auth_threshold
    evidence["window_seconds"] = ctx.settings.failed_auth_window_seconds
    provider, environment = owners.get(row["subject"], (None, None))
    return Hit(row["subject"], Severity.HIGH, message, evidence, provider, environment)


def run(ctx: LogQuery) -> list[Hit]:
    """Burst episodes, one Hit each, with window start, end and the largest window count."""
    sql = SQL.format(
        seconds=int(ctx.settings.failed_auth_window_seconds),
        threshold=int(ctx.settings.failed_auth_threshold),
        since=ctx.since("max(ts)"),
    )
    owners = {r["key_id"]: (r["provider"], r["environment"]) for r in ctx.fetch(OWNER)}
    return [_hit(row, owners, ctx) for row in ctx.fetch(sql)]


RULE = Rule(
    id="failed-auth-burst",
    title="More failed authentications than allowed in one window",
    severity=Severity.HIGH,
    tier=Tier.IMMEDIATE,
    remediation="Check whether the key is being guessed or a client is misconfigured; block "
    "the source, and rotate the key if it may be exposed.",
    description="Per key id (or per source IP for events with no key): more than "
    "failed_auth.threshold auth failures within any failed_auth.window_seconds "
    "sliding window (both ends inclusive); overlapping windows form one episode. "
    "Exactly the threshold passes.",
    needs=(Needs.LOGS, Needs.INVENTORY),
    thresholds=("failed_auth.*",),
    checks=(LogCheck("failed-auth-burst", run),),
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Findings from the hits of this rule's log checks."""
    return log_findings(RULE, inputs)
