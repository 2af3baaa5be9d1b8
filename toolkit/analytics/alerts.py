"""The seed's alert tiers: log detections plus inventory checks, grouped immediate/daily/weekly."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from toolkit.analytics.evidence import EventTrace
from toolkit.analytics.interface import Analysis, Coverage, KeyUsage, LogBackend
from toolkit.rules.catalogue import RULES
from toolkit.rules.engine import evaluate_rules
from toolkit.rules.interface import EventWindow, Finding, RuleInputs, Severity, Tier
from toolkit.rules.model import hit_finding
from toolkit.rules.policy import Policy
from toolkit.timeutil import ensure_utc

if TYPE_CHECKING:
    from toolkit.models import KeyBase

INVENTORY_ALERT_RULES = ("expiring-soon", "unused", "new-key-generated", "rotation-overdue")
"""Seed items answered from the inventory: expiring in 7 days, unused, new key (daily);
not rotated per policy (weekly)."""

TIERS = (Tier.IMMEDIATE, Tier.DAILY, Tier.WEEKLY)


@dataclass(frozen=True)
class Alert:
    """One finding raised to one of the seed's alert tiers."""

    tier: Tier
    finding: Finding
    trace: EventTrace | None = None  # a log alert's events: where they are, what they carried

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        f = self.finding
        return {
            "tier": str(self.tier),
            "rule_id": f.rule_id,
            "severity": str(f.severity),
            "subject": f.subject,
            "provider": f.provider,
            "environment": f.environment,
            "message": f.message,
            "evidence": f.evidence,
            "trace": self.trace.to_dict() if self.trace is not None else None,
        }


@dataclass
class AlertReport:
    """The alerts of one evaluation, with what the logs covered."""

    as_of: datetime
    since: datetime | None
    alerts: list[Alert]
    coverage: Coverage

    def by_tier(self, tier: Tier) -> list[Alert]:
        """Alerts of one tier, most severe first."""
        found = [a for a in self.alerts if a.tier == tier]
        return sorted(found, key=lambda a: (Severity(a.finding.severity).rank, a.finding.rule_id))

    @property
    def immediate(self) -> bool:
        """True when anything pages (the CLI then exits 1)."""
        return any(a.tier == Tier.IMMEDIATE for a in self.alerts)


def with_logged_use(keys: Sequence[KeyBase], usage: Sequence[KeyUsage]) -> list[KeyBase]:
    """Copies of ``keys`` whose ``last_used_at`` is the later of the inventory's and the logs'."""
    out = []
    for key, used in zip(keys, usage, strict=True):
        logged = used.last_seen
        if logged and (key.last_used_at is None or ensure_utc(key.last_used_at) < logged):
            key = key.model_copy(update={"last_used_at": logged})
        out.append(key)
    return out


def inventory_alerts(keys: Sequence[KeyBase], policy: Policy, as_of: datetime) -> list[Alert]:
    """The inventory half of the tiers, from the rule catalogue's inventory rules."""
    wanted = [r for r in INVENTORY_ALERT_RULES if r in RULES]
    evaluation = evaluate_rules(RuleInputs(keys, policy, as_of), rule_ids=wanted)
    return [Alert(RULES[f.rule_id].RULE.tier, f) for f in evaluation.findings]


def log_alerts(result: Analysis, traces: Mapping[EventWindow, EventTrace]) -> list[Alert]:
    """The log half of the tiers: every log check's hit at its check's tier, with the trace
    of its window's events (a hit of the whole log, such as a retention gap, has none)."""
    return [
        Alert(
            tier,
            hit_finding(rule, check, hit, result.as_of),
            traces.get(hit.window) if hit.window is not None else None,
        )
        for tier, rule, check, hit in result.tiered()
    ]


def evaluate_alerts(
    backend: LogBackend,
    keys: Sequence[KeyBase],
    policy: Policy,
    as_of: datetime,
    since: datetime | None = None,
    tiers: Sequence[Tier] = TIERS,
) -> AlertReport:
    """Run the log checks on the loaded logs and the inventory checks; keep ``tiers``."""
    result = backend.analyse(keys, policy.detection_settings(), as_of, period_start=since)
    windows = [hit.window for t, _r, _c, hit in result.tiered() if t in tiers and hit.window]
    traces = backend.trace(windows) if windows else {}
    alerts = log_alerts(result, traces) + inventory_alerts(
        with_logged_use(keys, result.usage), policy, as_of
    )
    kept = [a for a in alerts if a.tier in tiers]
    return AlertReport(result.as_of, result.period_start, kept, result.coverage)
