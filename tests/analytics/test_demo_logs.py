"""The demo logs: deterministic, readable, and raising alerts in every tier."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import toolkit.store  # noqa: F401  (models import order)
from toolkit.analytics import open_backend
from toolkit.analytics.alerts import evaluate_alerts
from toolkit.analytics.interface import LoadOptions
from toolkit.demo import DEMO_AS_OF
from toolkit.demo.logs import write_demo_logs
from toolkit.models import KeyBase
from toolkit.rules.interface import Tier
from toolkit.rules.policy import Policy


def _keys() -> list[KeyBase]:
    """A small inventory of the shapes the demo inventory has."""
    made = datetime(2026, 1, 1, tzinfo=UTC)
    keys = [KeyBase(key_id=f"hk_{i}", environment="prod", created_at=made) for i in range(5)]
    keys.append(KeyBase(key_id="hk_gone", created_at=made, revoked_at=datetime(2026, 8, 1)))
    arn = "arn:aws:iam::123456789012:user/ops"
    keys.append(KeyBase(key_id="AKIAIOSFODNN7EXAMPLE", provider="aws", principal=arn))
    keys.append(KeyBase(key_id=f"{arn}#access_key_1", provider="aws", principal=arn))
    return keys


def test_demo_logs_are_deterministic_and_alert_in_every_tier(tmp_path: Path) -> None:
    """Two writes are byte-identical; loading them yields alerts in all three tiers."""
    first = write_demo_logs(tmp_path / "a", _keys())
    second = write_demo_logs(tmp_path / "b", _keys())
    assert [p.name for p in first] == [p.name for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))
    backend = open_backend()
    loaded = backend.load(first, LoadOptions())
    assert loaded.skipped == 0 and 5_000 < loaded.events < 100_000
    report = evaluate_alerts(backend, _keys(), Policy(), DEMO_AS_OF)
    rules = {tier: {a.finding.rule_id for a in report.by_tier(tier)} for tier in Tier}
    expected = {"used-after-revocation", "failed-auth-burst", "new-location", "usage-anomaly"}
    assert expected <= rules[Tier.IMMEDIATE]
    assert {"failed-auth-rate-increase", "unknown-key-activity"} <= rules[Tier.DAILY]
    assert {"access-without-audit-trail", "log-retention-gap"} <= rules[Tier.WEEKLY]
    gaps = [a for a in report.by_tier(Tier.WEEKLY) if a.finding.evidence.get("kind") == "gap"]
    assert gaps, "the demo's multi-day silence is reported"
