"""Shared logic of the log rules: the analytics detections' hits as findings of their rule."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from toolkit.rules.interface import Finding
from toolkit.rules.model import Rule


def log_findings(rule: Rule, result: Any) -> Iterator[Finding]:
    """One finding per hit of every detection reporting under ``rule`` (an ``AnalyticsResult``).

    Evidence keeps the hit's own and names the detection when the rule has several.
    """
    from toolkit.analytics.detections import DETECTIONS
    from toolkit.analytics.run import to_finding

    detections = [d for d in DETECTIONS if d.rule == rule.id]
    for detection in detections:
        for hit in result.hits.get(detection.id, ()):
            yield to_finding(detection, hit, name_detection=len(detections) > 1)
