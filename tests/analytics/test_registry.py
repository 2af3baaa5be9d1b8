"""Every registered detection runs, returns hits, and its rule id is a DESIGN.md rule id."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.analytics.helpers import T0, ev, key, run
from toolkit.analytics.detections import DETECTIONS
from toolkit.analytics.detections.interface import Hit
from toolkit.rules.interface import Tier

RULE_IDS = {
    "used-after-revocation",
    "used-after-expiry",
    "failed-auth-burst",
    "new-location",
    "usage-anomaly",
    "failed-auth-rate-increase",
    "unknown-key-activity",
    "access-without-audit-trail",
    "log-retention-gap",
}


@pytest.mark.parametrize("detection", DETECTIONS, ids=lambda d: d.id)
def test_detection_is_wired(detection) -> None:  # noqa: ANN001
    """Each detection has a known rule id, a tier, and runs on an ordinary log."""
    assert detection.rule in RULE_IDS
    assert isinstance(detection.tier, Tier)
    result = run([ev(T0), ev(T0 + timedelta(seconds=1), key_id="other")], [key()])
    assert all(isinstance(h, Hit) for h in result.hits[detection.id])
    assert detection.id in result.timings


def test_registry_ids_are_unique_and_cover_every_log_rule() -> None:
    """No id twice; every log rule of DESIGN.md has a detection."""
    ids = [d.id for d in DETECTIONS]
    assert len(ids) == len(set(ids))
    assert {d.rule for d in DETECTIONS} == RULE_IDS


def test_findings_carry_rule_ids_and_no_secret_values() -> None:
    """to_finding keeps subject, severity and evidence (as JSON data) and names the detection."""
    from toolkit.analytics.run import to_finding

    result = run([ev(T0), ev(T0 + timedelta(seconds=1))], [key(revoked_at=T0)])
    findings = [to_finding(d, h, result.as_of) for _, d, h in result.tiered()]
    (finding,) = [f for f in findings if f.rule_id == "used-after-revocation"]
    assert finding.subject == "k1"
    assert finding.evidence["detection"] == "used-after-revocation"
    assert all(not isinstance(v, datetime) for v in finding.evidence.values())
    assert finding.at is not None


def test_missing_events_table_is_a_clear_error() -> None:
    """analyse without loaded events raises an AnalyticsError (exit 2 in the CLI)."""
    import duckdb

    from toolkit.analytics.run import AnalyticsError, analyse
    from toolkit.analytics.settings import DetectionSettings

    with pytest.raises(AnalyticsError, match="no access events"):
        analyse(duckdb.connect(), [], DetectionSettings(), T0)
