"""denied-burst (log rule): more than N denied calls for one key in any sliding window - a key
(perhaps stolen) probing what it may do; overlapping windows are merged into one episode."""

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
WITH f AS (SELECT key_id AS subject, ts FROM ev WHERE outcome = 'denied' AND key_id IS NOT NULL),
w AS (
  SELECT subject, ts, count(*) OVER win AS n, min(ts) OVER win AS window_start FROM f
  WINDOW win AS (PARTITION BY subject ORDER BY ts
    RANGE BETWEEN INTERVAL '{seconds}' SECOND PRECEDING AND CURRENT ROW)),
q AS (
  SELECT subject, ts, n, window_start,
    CASE WHEN lag(ts) OVER (PARTITION BY subject ORDER BY ts) >= window_start
      THEN 0 ELSE 1 END AS new_episode
  FROM w WHERE n > {threshold}),
e AS (
  SELECT *, sum(new_episode) OVER (PARTITION BY subject ORDER BY ts
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS episode FROM q)
SELECT subject, episode, min(window_start) AS start, max(ts) AS "end",
  max(n) AS max_in_window, count(*) AS windows_over
FROM e GROUP BY subject, episode HAVING {since}
ORDER BY subject, start
"""

OWNER = """SELECT DISTINCT s.key_id, i.provider, i.environment FROM src s
JOIN inventory i ON i.kid = s.kid"""


def _hit(row: dict[str, Any], owners: dict[str, tuple[str, str]], ctx: LogQuery) -> Hit:
    """One episode as a Hit."""
    s = ctx.settings
    message = (
        f"{row['max_in_window']} denied calls within {s.denied_window_seconds} s for key "
        f"({row['start']:%Y-%m-%d %H:%M:%S} .. {row['end']:%H:%M:%S} UTC); "
        f"threshold: more than {s.denied_threshold}"
    )
    evidence = {k: row[k] for k in ("start", "end", "max_in_window", "windows_over")}
    evidence["threshold"] = s.denied_threshold
    evidence["window_seconds"] = s.denied_window_seconds
    provider, environment = owners.get(row["subject"], (None, None))
    return Hit(row["subject"], Severity.HIGH, message, evidence, provider, environment)


def run(ctx: LogQuery) -> list[Hit]:
    """Denied-call episodes, one Hit each, with window start, end and the largest window count."""
    sql = SQL.format(
        seconds=int(ctx.settings.denied_window_seconds),
        threshold=int(ctx.settings.denied_threshold),
        since=ctx.since("max(ts)"),
    )
    owners = {r["key_id"]: (r["provider"], r["environment"]) for r in ctx.fetch(OWNER)}
    return [_hit(row, owners, ctx) for row in ctx.fetch(sql)]


RULE = Rule(
    id="denied-burst",
    title="More denied calls for one key than allowed in one window",
    severity=Severity.HIGH,
    tier=Tier.IMMEDIATE,
    remediation="Find out who holds the key and what it tried: a burst of AccessDenied / "
    "UnauthorizedOperation / 403 is how a stolen key is probed. If the owner does not "
    "recognise the calls, revoke the key and open an incident (`keyvigil incident open "
    "key-compromise --key KEY_ID`).",
    description="Per key id: more than denied_burst.threshold denied calls (outcome 'denied': "
    "CloudTrail AccessDenied, UnauthorizedOperation and similar errorCodes, HTTP 403, Vault "
    "permission denied) within any denied_burst.window_seconds sliding window (both ends "
    "inclusive); overlapping windows form one episode. Exactly the threshold passes; events "
    "without a key id are not counted.",
    needs=(Needs.LOGS, Needs.INVENTORY),
    thresholds=("denied_burst.*",),
    checks=(LogCheck("denied-burst", run),),
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Findings from the hits of this rule's log checks."""
    return log_findings(RULE, inputs)
