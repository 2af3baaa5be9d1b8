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


def coverage(ctx: LogQuery) -> dict[str, Any]:
    """First and last event and event count of the whole log (up to as-of)."""
    row = ctx.fetch(
        "SELECT min(first_ts) AS first_event, max(last_ts) AS last_event, sum(n) AS events "
        "FROM timeline"
    )
    return row[0]


def _retention(ctx: LogQuery, first: datetime | None) -> list[Hit]:
    """The history requirement: as-of minus the first event against the required days."""
    s = ctx.settings
    covered = (ctx.as_of - first) / timedelta(days=1) if first else 0.0
    if covered >= s.retention_required_days:
        return []
    evidence = {
        "kind": "retention",
        "first_event": first,
        "covered_days": round(covered, 1),
        "required_days": s.retention_required_days,
        "recent_days": s.recent_days,
        "recent_covered": covered >= s.recent_days,
    }
    message = (
        f"logs cover {covered:.0f} day(s) before as-of; {s.retention_required_days} required "
        f"(newest {s.recent_days} at hand: {'yes' if covered >= s.recent_days else 'no'})"
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
    description="The logs' first event is less than log_retention.required_days before the as- "
    "of time, or spans with no events at all are longer than "
    "log_retention.max_gap_hours (including a log that stops before as-of).",
    needs=(Needs.LOGS, Needs.INVENTORY),
    thresholds=("log_retention.*",),
    checks=(LogCheck("log-retention-gap", run),),
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Findings from the hits of this rule's log checks."""
    return log_findings(RULE, inputs)
