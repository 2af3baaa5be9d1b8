"""failed-auth-burst (log rule): more than N auth failures for one key (or keyless source IP) in any
sliding window; overlapping windows are merged into one episode."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from toolkit.rules.catalogue._bursts import EVIDENCE, Owners, episode_hit, episodes, owners
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

SUBJECTS = """
SELECT CASE WHEN key_id IS NOT NULL THEN 'key_id' ELSE 'source_ip' END AS kind,
    coalesce(key_id, source_ip) AS subject, ts
  FROM refusals WHERE outcome = 'auth_failed' AND (key_id IS NOT NULL OR source_ip IS NOT NULL)
"""


def _hit(row: dict[str, Any], known: Owners, ctx: LogQuery) -> Hit:
    """One episode as a Hit."""
    what = "key" if row["kind"] == "key_id" else "source IP (no key)"
    message = (
        f"{row['max_in_window']} failed authentications within "
        f"{ctx.settings.failed_auth_window_seconds} s for {what} "
        f"({row['start']:%Y-%m-%d %H:%M:%S} .. {row['end']:%H:%M:%S} UTC); "
        f"threshold: more than {ctx.settings.failed_auth_threshold}"
    )
    limits = (ctx.settings.failed_auth_threshold, ctx.settings.failed_auth_window_seconds)
    fields = ("kind", *EVIDENCE)
    return episode_hit(row, known, message, limits, outcome="auth_failed", fields=fields)


def run(ctx: LogQuery) -> list[Hit]:
    """Burst episodes, one Hit each, with window start, end and the largest window count."""
    s = ctx.settings
    rows = episodes(ctx, SUBJECTS, s.failed_auth_window_seconds, s.failed_auth_threshold)
    known = owners(ctx, "n_auth_failed", rows)
    return [_hit(row, known, ctx) for row in rows]


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
