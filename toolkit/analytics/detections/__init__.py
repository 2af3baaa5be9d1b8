"""Access-log detections as SQL over the normalised ``events`` table: one module each, and the
registry below in the order they run."""

from __future__ import annotations

from toolkit.analytics.detections import (
    anomaly,
    audit_trail,
    burst,
    expiry,
    failure_rate,
    location,
    retention,
    revocation,
    trend,
    unknown_key,
)
from toolkit.analytics.detections.interface import Context, Detection, Hit

DETECTIONS: tuple[Detection, ...] = (
    revocation.DETECTION,
    expiry.DETECTION,
    burst.DETECTION,
    location.DETECTION,
    anomaly.DETECTION,
    failure_rate.DETECTION,
    unknown_key.DETECTION,
    audit_trail.DETECTION,
    retention.DETECTION,
    trend.DETECTION,
)
"""Every detection, by id; adding one is one module plus one line here."""

BY_ID: dict[str, Detection] = {d.id: d for d in DETECTIONS}

__all__ = ["BY_ID", "DETECTIONS", "Context", "Detection", "Hit"]
