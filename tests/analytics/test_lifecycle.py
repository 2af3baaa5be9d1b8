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
    assert quiet.hits[detection] == []
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
    assert result.hits["used-after-revocation"] == []


def test_placeholder_key_attributes_by_principal() -> None:
    """A credential-report key with no key id is matched through the principal ARN."""
    arn = "arn:aws:iam::123456789012:user/bob"
    inventory = [key(f"{arn}#access_key_1", principal=arn, provider="aws", revoked_at=T0)]
    rows = [ev(T0 + S, key_id="AKIAEXAMPLEBOB", principal=arn)]
    result = run(rows, inventory)
    (hit,) = result.hits["used-after-revocation"]
    assert hit.subject == f"{arn}#access_key_1"
    assert result.usage[0].attributed_via == "principal"
    assert result.hits["unknown-key-activity"] == []
