"""``used-after-expiry``: any logged event for a key after its ``expires_at``."""

from __future__ import annotations

from toolkit.analytics.detections import _lifecycle
from toolkit.analytics.detections.interface import Context, Detection, Hit
from toolkit.rules.interface import Tier


def run(ctx: Context) -> list[Hit]:
    """Keys used after expiry, with counts, first/last use and successes vs failures."""
    return _lifecycle.hits(_lifecycle.used_after(ctx, "expires_at"), "expiry")


DETECTION = Detection("used-after-expiry", Tier.IMMEDIATE, "Key used after expiry", run)
