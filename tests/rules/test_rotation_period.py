"""rotation-overdue judges the whole audit period and says when a key was over its limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from toolkit.models import KeyBase
from toolkit.rules.catalogue import rotation_overdue
from toolkit.rules.interface import RuleInputs
from toolkit.rules.policy import parse_policy

AS_OF = datetime(2026, 10, 1, tzinfo=UTC)


def _findings(keys: list[KeyBase], period_days: int = 90) -> dict[str, object]:
    """The rule's findings by key id under a policy with the given audit period."""
    policy = parse_policy({"audit_period_days": period_days}, "test")
    return {f.subject: f for f in rotation_overdue.evaluate(RuleInputs(keys, policy, AS_OF))}


def _revoked(key_id: str, created_days: int, revoked_days: int) -> KeyBase:
    """A prod key created and revoked the given numbers of days before as-of."""
    return KeyBase(
        key_id=key_id,
        environment="prod",
        created_at=AS_OF - timedelta(days=created_days),
        revoked=True,
        revoked_at=AS_OF - timedelta(days=revoked_days),
    )


def test_key_revoked_in_period_says_when_it_was_over() -> None:
    """Over from creation + 90 days until its revocation: both dates in message and evidence."""
    found = _findings([_revoked("k", 200, 30)])
    finding = found["k"]
    assert finding.message == (  # type: ignore[attr-defined]
        "over its 90-day rotation period from 2026-06-13 until it was revoked on 2026-09-01 "
        "(170 days without rotation)"
    )
    evidence = finding.evidence  # type: ignore[attr-defined]
    assert evidence["due_at"] == "2026-06-13T00:00:00Z"
    assert evidence["overdue_until"] == "2026-09-01T00:00:00Z"


def test_the_policy_period_decides_which_revoked_keys_count() -> None:
    """Revoked 100 days ago: outside a 90-day period, inside a 120-day one."""
    keys = [_revoked("k", 300, 100)]
    assert _findings(keys) == {}
    assert set(_findings(keys, period_days=120)) == {"k"}


def test_active_key_says_since_when() -> None:
    """An active key over its limit at as-of names the day it became overdue; no end date."""
    key = KeyBase(key_id="a", environment="prod", created_at=AS_OF - timedelta(days=120))
    finding = _findings([key])["a"]
    assert finding.message.endswith("over its rotation period since 2026-09-01")  # type: ignore[attr-defined]
    assert "overdue_until" not in finding.evidence  # type: ignore[attr-defined]
