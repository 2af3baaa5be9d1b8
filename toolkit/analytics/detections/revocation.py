"""``used-after-revocation``: any logged event for a key after its ``revoked_at``."""

from __future__ import annotations

from toolkit.analytics.detections import _lifecycle
from toolkit.analytics.detections.interface import Context, Detection, Hit
from toolkit.rules.interface import Tier


def run(ctx: Context) -> list[Hit]:
    """Keys used after revocation, with counts, first/last use and successes vs failures."""
    return _lifecycle.hits(_lifecycle.used_after(ctx, "revoked_at"), "revocation")


DETECTION = Detection("used-after-revocation", Tier.IMMEDIATE, "Key used after revocation", run)
