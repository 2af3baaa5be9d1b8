"""used-after-revocation and used-after-expiry: one second before and after the instant."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.analytics.helpers import T0, ev, key, run
from toolkit.rules.interface import Severity

S = timedelta(seconds=1)


@pytest.mark.parametrize(
    ("detection", "field"),
    [("used-after-revocation", "revoked_at"), ("used-after-expiry", "expires_at")],
)
def test_event_one_second_after_fires_at_or_before_does_not(detection: str, field: str) -> None:
    """Events at or before the instant pass; one second after is reported."""
    quiet = run([ev(T0 - S), ev(T0)], [key(**{field: T0})])
    assert quiet.hits[detection] == ()
    loud = run([ev(T0 - S), ev(T0), ev(T0 + S)], [key(**{field: T0})])
    (hit,) = loud.hits[detection]
    assert hit.subject == "k1"
    assert hit.evidence["events"] == 1
    assert hit.evidence["first_use"] == T0 + S
    assert hit.severity == Severity.CRITICAL
    assert hit.evidence["signal"] == "success"


def test_only_failures_after_revocation_is_a_leak_signal() -> None:
    """All calls after revocation failed: high, with counts of each outcome."""
    rows = [ev(T0 + i * S, outcome="auth_failed") for i in range(1, 4)]
    rows.append(ev(T0 + 9 * S, outcome="denied"))
    (hit,) = run(rows, [key(revoked_at=T0)]).hits["used-after-revocation"]
    assert hit.severity == Severity.HIGH
    assert hit.evidence["signal"] == "leak"
    assert (hit.evidence["auth_failures"], hit.evidence["denied"]) == (3, 1)
    assert (hit.evidence["first_use"], hit.evidence["last_use"]) == (T0 + S, T0 + 9 * S)
    assert "leak" in hit.message


def test_key_without_dates_and_other_keys_are_not_reported() -> None:
    """A key with no revoked_at is never used after revocation; other keys' events do not count."""
    rows = [ev(T0 + S, key_id="k2"), ev(T0 + S)]
    result = run(rows, [key(), key("k2", revoked_at=T0 + 2 * S)])
    assert result.hits["used-after-revocation"] == ()


def test_placeholder_key_attributes_by_principal() -> None:
    """A credential-report key with no key id is matched through the principal ARN."""
    arn = "arn:aws:iam::123456789012:user/bob"
    inventory = [key(f"{arn}#access_key_1", principal=arn, provider="aws", revoked_at=T0)]
    rows = [ev(T0 + S, key_id="AKIAEXAMPLEBOB", principal=arn)]
    result = run(rows, inventory)
    (hit,) = result.hits["used-after-revocation"]
    assert hit.subject == f"{arn}#access_key_1"
    assert result.usage[0].attributed_via == "principal"
    assert result.hits["unknown-key-activity"] == ()


def test_counts_match_every_event_around_ends_and_period_start() -> None:
    """Events over several days around revocation, expiry and the period start: the counts
    (taken from the day aggregate, re-reading only the days an end falls on) equal a
    brute-force count of every event."""
    start = T0 - timedelta(days=3)
    revoked, expires, period = T0 + 5 * 3600 * S, T0 + 30 * 3600 * S, T0 - 20 * 3600 * S
    rows = [
        ev(start + i * 1777 * S, outcome=("success", "auth_failed", "denied")[i % 3],
           source_ip=f"10.0.0.{i % 4}", key_id=("k1", "k2")[i % 2])
        for i in range(400)
    ]  # fmt: skip
    keys = [key(revoked_at=revoked, expires_at=expires), key("k2", expires_at=expires)]
    result = run(rows, keys, period_start=period)
    for detection, end in (("used-after-revocation", revoked), ("used-after-expiry", expires)):
        for hit in result.hits[detection]:
            mine = [r for r in rows if r["key_id"] == hit.subject and period <= r["ts"]]
            after = [r for r in mine if r["ts"] > end]
            assert hit.evidence["events"] == len(after)
            assert hit.evidence["first_use"] == min(r["ts"] for r in after)
            assert hit.evidence["source_ips"] == len({r["source_ip"] for r in after})
            failed = sum(r["outcome"] == "auth_failed" for r in after)
            assert hit.evidence["auth_failures"] == failed
        assert len(result.hits[detection]) == (1 if detection.endswith("revocation") else 2)
