"""denied-burst (log rule): more than N denied calls for one key in any sliding window - a key
(perhaps stolen) probing what it may do; overlapping windows are merged into one episode."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from toolkit.rules.catalogue._bursts import Owners, episode_hit, episodes, owners
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
SELECT 'key_id' AS kind, key_id AS subject, ts FROM refusals
  WHERE outcome = 'denied' AND key_id IS NOT NULL
"""


def _hit(row: dict[str, Any], known: Owners, ctx: LogQuery) -> Hit:
    """One episode as a Hit."""
    s = ctx.settings
    message = (
        f"{row['max_in_window']} denied calls within {s.denied_window_seconds} s for key "
        f"({row['start']:%Y-%m-%d %H:%M:%S} .. {row['end']:%H:%M:%S} UTC); "
        f"threshold: more than {s.denied_threshold}"
    )
    limits = (s.denied_threshold, s.denied_window_seconds)
    return episode_hit(row, known, message, limits, outcome="denied")


def run(ctx: LogQuery) -> list[Hit]:
    """Denied-call episodes, one Hit each, with window start, end and the largest window count."""
    s = ctx.settings
    rows = episodes(ctx, SUBJECTS, s.denied_window_seconds, s.denied_threshold)
    known = owners(ctx, "n_denied", rows)
    return [_hit(row, known, ctx) for row in rows]


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
