"""Shared logic of the log rules: turn the analytics engineer's detection hits into findings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from toolkit.rules.interface import Finding, Severity
from toolkit.rules.model import Rule, evidence_value


def hits_for(result: Any, rule_id: str) -> list[Any]:
    """The detection hits of ``rule_id`` in an ``AnalyticsResult`` (none when it did not run)."""
    hits = getattr(result, "hits", None)
    if hits is None and isinstance(result, dict):
        hits = result
    return list((hits or {}).get(rule_id, ()))


def log_findings(rule: Rule, result: Any) -> Iterator[Finding]:
    """One finding per hit, keeping the hit's subject, severity, message and evidence."""
    for hit in hits_for(result, rule.id):
        yield Finding(
            rule_id=rule.id,
            severity=Severity(hit.severity),
            subject=str(hit.subject),
            message=hit.message,
            provider=hit.provider,
            environment=hit.environment,
            evidence={name: evidence_value(v) for name, v in sorted(hit.evidence.items())},
        )
