"""Waivers: matching, expiry, revocation, and storage on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from toolkit.errors import WaiverError
from toolkit.rules.engine import evaluate_rules
from toolkit.rules.interface import Finding, RuleInputs, Severity
from toolkit.rules.policy import Policy
from toolkit.rules.waivers import (
    EXPIRED,
    WAIVED,
    add_waiver,
    apply_waivers,
    list_waivers,
    revoke_waiver,
    waiver_state,
)
from toolkit.store import Waiver, open_store
from toolkit.store.tables import Key
from toolkit.trail import entries, verify

AS_OF = datetime(2026, 10, 1, tzinfo=UTC)
EXPIRES = AS_OF + timedelta(days=30)


def _finding(rule_id: str, subject: str) -> Finding:
    """A bare finding."""
    return Finding(rule_id=rule_id, severity=Severity.LOW, subject=subject, message="m")


def _waiver(rule_id: str = "no-expiry", pattern: str = "AKIA*", **changes: object) -> Waiver:
    """An unsaved waiver."""
    fields: dict[str, object] = {
        "id": 1,
        "rule_id": rule_id,
        "key_pattern": pattern,
        "reason": "r",
        "owner": "o",
        "expires_at": EXPIRES,
        "created_at": AS_OF - timedelta(days=1),
        "created_by": "t",
    }
    return Waiver(**(fields | changes))


def test_waiver_suppresses_exactly_the_findings_it_names() -> None:
    """Same rule and a matching key id: waived; other rule or other key: untouched."""
    findings = [
        _finding("no-expiry", "AKIA1"),
        _finding("no-expiry", "akia2"),
        _finding("unused", "AKIA1"),
        _finding("no-expiry", "other"),
    ]
    result = apply_waivers(findings, [_waiver()], AS_OF)
    assert [r.state for r in result] == [WAIVED, None, None, None]
    assert result[0].waived and result[0].waiver is not None and result[0].finding is findings[0]


def test_after_expiry_findings_are_reported_again_marked_expired() -> None:
    """At and after expires_at the waiver stops waiving; the finding says it expired."""
    finding = [_finding("no-expiry", "AKIA1")]
    assert apply_waivers(finding, [_waiver()], EXPIRES - timedelta(seconds=1))[0].state == WAIVED
    at_expiry = apply_waivers(finding, [_waiver()], EXPIRES)[0]
    assert at_expiry.state == EXPIRED and not at_expiry.waived


def test_revoked_waiver_does_not_apply_and_active_beats_expired() -> None:
    """Revoked: ignored. Several matches: an active one wins over an expired one."""
    finding = [_finding("no-expiry", "AKIA1")]
    revoked = _waiver(revoked_at=AS_OF - timedelta(hours=1))
    assert apply_waivers(finding, [revoked], AS_OF)[0].state is None
    old = _waiver(id=2, expires_at=AS_OF - timedelta(days=1))
    result = apply_waivers(finding, [old, _waiver(id=3)], AS_OF)[0]
    assert (result.state, result.waiver.id) == (WAIVED, 3)
    assert waiver_state(revoked, AS_OF) == "revoked"


def test_waiving_engine_findings_end_to_end() -> None:
    """Waive no-expiry for AKIA* keys: the AWS key's finding is waived, the other is not."""
    keys = [Key(key_id="AKIA1", provider="aws"), Key(key_id="house-1")]
    evaluation = evaluate_rules(RuleInputs(keys, Policy(), AS_OF), rule_ids=["no-expiry"])
    states = {
        r.finding.subject: r.state for r in apply_waivers(evaluation.findings, [_waiver()], AS_OF)
    }
    assert states == {"AKIA1": WAIVED, "house-1": None}


def test_add_list_revoke_with_trail(db_url: str) -> None:
    """Stored on both databases; every change appends a verifiable trail entry."""
    store = open_store(db_url)
    with store.session() as session:
        waiver = add_waiver(
            session,
            rule_id="no-expiry",
            key_pattern="AKIA*",
            reason="aws",
            owner="platform",
            expires_at=EXPIRES,
            actor="t",
            now=AS_OF,
        )
    with store.session() as session:
        assert [w.id for w in list_waivers(session, AS_OF)] == [waiver.id]
        assert list_waivers(session, EXPIRES) == []
        assert len(list_waivers(session, EXPIRES, include_all=True)) == 1
        revoke_waiver(session, waiver.id, reason="rotated", actor="t", now=AS_OF)
    with store.session() as session:
        assert list_waivers(session, AS_OF) == []
        assert [e.action for e in entries(session)] == ["waiver.add", "waiver.revoke"]
        assert verify(session).ok
        with pytest.raises(WaiverError, match="already revoked"):
            revoke_waiver(session, waiver.id, reason=None, actor="t", now=AS_OF)
        with pytest.raises(WaiverError, match="no waiver with id 99"):
            revoke_waiver(session, 99, reason=None, actor="t", now=AS_OF)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rule_id": "no-such-rule"}, "unknown rule id 'no-such-rule'"),
        ({"reason": "  "}, "--reason: required"),
        ({"owner": ""}, "--owner: required"),
        ({"key_pattern": " "}, "--key: required"),
        ({"expires_at": None}, "--expires: required"),
        ({"expires_at": AS_OF}, "is not in the future"),
    ],
)
def test_incomplete_waivers_are_refused(sqlite_url: str, changes: dict, message: str) -> None:
    """Unknown rule, blank reason/owner/pattern, no or past expiry: WaiverError, nothing saved."""
    args = {
        "rule_id": "no-expiry",
        "key_pattern": "AKIA*",
        "reason": "r",
        "owner": "o",
        "expires_at": EXPIRES,
    } | changes
    store = open_store(sqlite_url)
    with pytest.raises(WaiverError, match=message), store.session() as session:
        add_waiver(session, actor="t", now=AS_OF, **args)
    with store.session() as session:
        assert list_waivers(session, AS_OF, include_all=True) == []
        assert list(entries(session)) == []


def test_result_records_flag_waivers_set_after_the_as_of_and_carry_the_approver() -> None:
    """The result document's waiver records: approver and time, and 'created after as-of'."""
    from toolkit.audit.document import waivers_section

    approved_at = AS_OF - timedelta(hours=20)
    before = _waiver(id=1, approved_by="ciso", approved_at=approved_at)
    after = _waiver(id=2, created_at=AS_OF + timedelta(seconds=1))
    on_time = _waiver(id=3, created_at=AS_OF)
    records = waivers_section([before, after, on_time], [], AS_OF)
    assert [r.created_after_as_of for r in records] == [False, True, False]
    assert (records[0].approved_by, records[0].approved_at) == ("ciso", "2026-09-30T04:00:00Z")
    assert (records[1].approved_by, records[1].approved_at) == (None, None)
