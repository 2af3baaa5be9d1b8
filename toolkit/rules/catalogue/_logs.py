"""Shared logic of the log rules: the analytics detections' hits as findings of their rule."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from toolkit.rules.interface import Finding, Severity
from toolkit.rules.model import Rule, evidence_value


def _detections_of(rule_id: str) -> list[Any]:
    """The analytics detections whose hits are reported under ``rule_id``."""
    from toolkit.analytics.detections import DETECTIONS

    return [d for d in DETECTIONS if d.rule == rule_id]


def log_findings(rule: Rule, result: Any) -> Iterator[Finding]:
    """One finding per hit of every detection reporting under ``rule`` (an ``AnalyticsResult``).

    Evidence keeps the hit's own and names the detection when the rule has several.
    """
    detections = _detections_of(rule.id)
    for detection in detections:
        for hit in result.hits.get(detection.id, ()):
            evidence = {name: evidence_value(v) for name, v in sorted(hit.evidence.items())}
            if len(detections) > 1:
                evidence["detection"] = detection.id
            yield Finding(
                rule_id=rule.id,
                severity=Severity(hit.severity),
                subject=str(hit.subject),
                message=hit.message,
                provider=hit.provider,
                environment=hit.environment,
                evidence=evidence,
            )
