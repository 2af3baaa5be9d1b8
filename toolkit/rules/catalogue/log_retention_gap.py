"""log-retention-gap (log rule): logs shorter than the required history (PCI DSS 10.5.1:
12 months, the newest 3 at hand), and spans with no events at all longer than the allowed gap."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
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
    sql_time,
)
from toolkit.rules.model import Rule, log_findings

GAPS = """
WITH h AS (SELECT bucket, min(first_ts) AS first_ts, max(last_ts) AS last_ts FROM timeline
  GROUP BY bucket),
g AS (SELECT last_ts AS gap_start, lead(first_ts) OVER (ORDER BY bucket) AS gap_end FROM h)
SELECT gap_start, gap_end FROM g
WHERE gap_end - gap_start > INTERVAL '{seconds}' SECOND AND {since}
ORDER BY gap_start
"""
SUBJECT = "access-logs"


DAYS = """SELECT count(DISTINCT CAST(epoch_ms(bucket) // 86400000 AS BIGINT)) AS days
FROM timeline WHERE last_ts >= {start} AND first_ts < {end}"""
"""UTC days with at least one event in ``[start, end)`` (timeline buckets are days or hours)."""


def coverage(ctx: LogQuery) -> dict[str, Any]:
    """First and last event and event count of the whole log (up to as-of)."""
    row = ctx.fetch(
        "SELECT min(first_ts) AS first_event, max(last_ts) AS last_event, sum(n) AS events "
        "FROM timeline"
    )
    return row[0]


def days_with_events(ctx: LogQuery, days: int) -> int:
    """How many UTC days of the ``days`` before as-of have at least one event."""
    start = ctx.as_of - timedelta(days=days)
    rows = ctx.fetch(DAYS.format(start=sql_time(start), end=sql_time(ctx.as_of)))
    return int(rows[0]["days"] or 0)


def _retention(ctx: LogQuery, first: datetime | None) -> list[Hit]:
    """The history requirement: days that have events among the required days before as-of.

    One event a year ago does not cover the year; a log silent for the last months does not
    have them "at hand" however long ago it began.
    """
    s = ctx.settings
    covered = days_with_events(ctx, s.retention_required_days)
    recent = days_with_events(ctx, s.recent_days)
    if covered >= s.retention_required_days:
        return []
    at_hand = recent >= s.recent_days
    evidence = {
        "kind": "retention",
        "first_event": first,
        "days_with_events": covered,
        "required_days": s.retention_required_days,
        "recent_days": s.recent_days,
        "recent_days_with_events": recent,
        "recent_covered": at_hand,
    }
    message = (
        f"events on {covered} of the {s.retention_required_days} days before as-of "
        f"(all {s.retention_required_days} required); newest {s.recent_days} days at hand: "
        f"{'yes' if at_hand else 'no'} (events on {recent} of them)"
    )
    return [Hit(SUBJECT, Severity.MEDIUM, message, evidence)]


def _gap(start: datetime, end: datetime, kind: str) -> Hit:
    """One span without events."""
    hours = (end - start) / timedelta(hours=1)
    message = f"no events for {hours:.1f} h ({start:%Y-%m-%d %H:%M} .. {end:%Y-%m-%d %H:%M} UTC)"
    evidence = {"kind": kind, "gap_start": start, "gap_end": end, "hours": round(hours, 1)}
    return Hit(SUBJECT, Severity.MEDIUM, message, evidence)


def run(ctx: LogQuery) -> list[Hit]:
    """Retention shortfall, gaps inside the log, and a log that stops before as-of."""
    facts = coverage(ctx)
    seconds = int(ctx.settings.max_gap_hours * 3600)
    hits = _retention(ctx, facts["first_event"])
    rows = ctx.fetch(GAPS.format(seconds=seconds, since=ctx.since("gap_end")))
    hits += [_gap(r["gap_start"], r["gap_end"], "gap") for r in rows]
    if facts["last_event"] and (ctx.as_of - facts["last_event"]).total_seconds() > seconds:
        hits.append(_gap(facts["last_event"], ctx.as_of, "ends-early"))
    return hits


RULE = Rule(
    id="log-retention-gap",
    title="Access logs cover less than the required history",
    severity=Severity.MEDIUM,
    tier=Tier.WEEKLY,
    remediation="Keep access logs for the required period (PCI DSS 10.5.1: 12 months, the "
    "latest 3 at hand) and find out why logging stopped for the gaps.",
    description="Judged by the UTC days that actually have events: fewer than "
    "log_retention.required_days of the required_days days before the as-of time have an "
    "event (one event a year ago does not cover the year; the evidence says how many of the "
    "newest immediately_available_days days have events), or spans with no events at all are "
    "longer than log_retention.max_gap_hours (including a log that stops before as-of).",
    needs=(Needs.LOGS, Needs.INVENTORY),
    thresholds=("log_retention.*",),
    checks=(LogCheck("log-retention-gap", run),),
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Findings from the hits of this rule's log checks."""
    return log_findings(RULE, inputs)
