"""Control status rules and the diff of two documents, on small hand-made values."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

import pytest

from tests.reports.docgen import sample_document
from toolkit.audit.controls import control_record
from toolkit.audit.coverage import Populations
from toolkit.audit.diff import diff_documents
from toolkit.audit.document import stable_id
from toolkit.audit.key_sections import keys_section
from toolkit.audit.response_record import ResponseBook
from toolkit.audit.result import (
    ControlRecord,
    ControlStatus,
    FindingRecord,
    FindingWaiver,
    FrameworkRecord,
    KeyRef,
    ResultDocument,
    RuleRecord,
    UnjudgedRecord,
)
from toolkit.models import KeyBase
from toolkit.rules.frameworks import Control
from toolkit.rules.policy import parse_policy

AS_OF = datetime(2026, 10, 1, tzinfo=UTC)


def finding(fid: str, waiver: Literal["waived", "expired"] | None = None) -> FindingRecord:
    """A minimal finding."""
    state = (
        FindingWaiver(id=1, owner="o", reason="r", expires_at=None, state=waiver)
        if waiver
        else None
    )
    return FindingRecord(
        id=fid,
        rule_id="r",
        severity="high",
        tier=None,
        subject=fid,
        message="m",
        provider=None,
        environment=None,
        key=None,
        evidence={},
        response=ResponseBook(AS_OF).record(fid, "high", None, waived=waiver == "waived"),
        waiver=state,
    )


def control(*rules: str, covers: str = "whole", scope: str = "all-keys") -> Control:
    """A control mapped to ``rules``."""
    rationale = 'It says "a test control holds"; the rules check it.' if rules else None
    return Control.model_validate(
        {"id": "X.1", "title": "Test", "statement": "A test control.", "citation": "Test 1",
         "rules": rules, "rationale": rationale, "covers": covers if rules else "part",
         "scope": scope}
    )  # fmt: skip


NEEDS = {"a": ["inventory"], "b": ["inventory"], "l": ["inventory", "logs"], "s": ["scan"]}


def rule(rule_id: str, evaluated: bool, unjudged: int = 0) -> RuleRecord:
    """A rule record as the document holds it."""
    return RuleRecord.model_construct(
        id=rule_id,
        status="evaluated" if evaluated else "not_evaluated",
        reason=None if evaluated else "no access logs given",
        needs=NEEDS[rule_id],
        not_evaluated_for=[
            UnjudgedRecord(subject=f"k{n}", provider="house", environment=None, reason="r")
            for n in range(unjudged)
        ],
    )


def key(key_id: str, cardholder: bool = False) -> KeyBase:
    """An inventory key."""
    return KeyBase(key_id=key_id, cardholder_data=cardholder)


def on_key(rule_id: str, key_id: str, waived: bool = False) -> FindingRecord:
    """A finding of ``rule_id`` about inventory key ``key_id``."""
    ref = KeyRef(environment=None, fingerprint_prefix=None, key_id=key_id, name=None,
                 owner=None, provider="house")  # fmt: skip
    return finding(key_id, "waived" if waived else None).model_copy(
        update={"rule_id": rule_id, "key": ref}
    )


def record(
    ctl: Control,
    evaluated: set[str],
    findings: list[FindingRecord] = (),  # type: ignore[assignment]
    keys: list[KeyBase] | None = None,
    unjudged: int = 0,
    roots: tuple[str, ...] | None = None,
    judged: dict[str, tuple[int, int]] | None = None,
) -> ControlRecord:
    """The control's record for a run over ``keys`` (three plain keys by default)."""
    rules = [rule(r, r in evaluated, unjudged) for r in NEEDS]
    keys = keys if keys is not None else [key("k1"), key("k2"), key("k3")]
    pops = Populations.of(keys, None, roots, rules, judged)  # type: ignore[arg-type]
    by_rule: dict[str, list[FindingRecord]] = {}
    for f in findings:
        by_rule.setdefault(f.rule_id, []).append(f)
    return control_record(ctl, pops, by_rule, [])


@pytest.mark.parametrize(
    ("ctl", "evaluated", "findings", "expected"),
    [
        (control(), set(), [], ("manual", "none")),
        (control("a", "b"), {"a", "b"}, [], ("holds", "full")),
        (control("a", "b"), {"a", "b"}, [on_key("b", "k1")], ("fails", "full")),
        (control("a", "b"), {"a"}, [on_key("a", "k2")], ("fails", "partial")),
        (control("a", "b"), {"a"}, [], ("not_evaluated", "partial")),
        (control("a"), set(), [], ("not_evaluated", "none")),
        (control("a", "b", covers="part"), {"a", "b"}, [], ("manual", "partial")),
        (control("a", "b"), {"a", "b"}, [on_key("a", "k1", waived=True)], ("holds", "full")),
    ],
    ids=[
        "manual",
        "holds",
        "fails",
        "fails-even-if-partly-evaluated",
        "not-evaluated",
        "none-ran",
        "part-of-the-requirement",
        "waived",
    ],  # fmt: skip
)
def test_control_status(
    ctl: Control, evaluated: set[str], findings: list[FindingRecord], expected: tuple[str, str]
) -> None:
    """fails > not_evaluated > holds; holds only on full coverage; a rule that did not run
    never passes; rules testing part of a requirement leave it manual."""
    got = record(ctl, evaluated, findings)
    assert (got.status, got.coverage) == expected


def test_population_and_exceptions_in_words() -> None:
    """Each rule says what it tested: "3 keys tested, 1 exception"; unjudged keys are counted."""
    got = record(control("a"), {"a"}, [on_key("a", "k1")])
    assert [t.summary for t in got.tested] == ["3 keys tested, 1 exception"]
    got = record(control("a"), {"a"}, [], unjudged=1)
    assert got.tested[0].summary == "2 keys tested, 0 exceptions; 1 key not judged"
    assert (got.status, got.coverage, got.tested[0].coverage) == (
        "not_evaluated",
        "partial",
        "partial",
    )


def test_a_scan_never_makes_a_control_hold() -> None:
    """A scan of three folders covers only them: clean, the control is manual, scope named."""
    roots = ("/srv/shop/app", "/srv/shop/etc/app", "/srv/shop/var/log/app")
    got = record(control("s"), {"s"}, [], roots=roots)
    assert (got.status, got.coverage) == ("manual", "partial")
    summary = "3 folders scanned: in shop/: app, etc/app, var/log/app; 0 exceptions"
    assert got.tested[0].summary == summary
    assert got.tested[0].scope == list(roots)
    assert "only the folders it read" in (got.coverage_note or "")


def test_cardholder_scope_counts_only_marked_keys() -> None:
    """PCI 3.6/3.7: a finding on an unmarked key does not fail the control; on a marked one it
    does; with no marked key the control is manual, never holds."""
    scoped = control("a", scope="cardholder-data")
    keys = [key("k1"), key("k2", cardholder=True)]
    unmarked = record(scoped, {"a"}, [on_key("a", "k1")], keys=keys)
    assert (unmarked.status, unmarked.findings) == ("holds", 0)
    assert unmarked.tested[0].summary == "1 key marked cardholder_data tested, 0 exceptions"
    marked = record(scoped, {"a"}, [on_key("a", "k1"), on_key("a", "k2")], keys=keys)
    assert (marked.status, marked.findings) == ("fails", 1)
    nobody = record(scoped, {"a"}, [on_key("a", "k1")], keys=[key("k1")])
    assert (nobody.status, nobody.coverage, nobody.findings) == ("manual", "none", 0)
    assert "cardholder_data" in (nobody.coverage_note or "")


def document(findings: list[FindingRecord], status: ControlStatus) -> ResultDocument:
    """The sample document with these findings and one framework of one control."""
    control = ControlRecord(
        id="1", title="t", statement="s", citation="c", rules=["r"], status=status, findings=0,
        waived=0, thresholds={}, guardrails=[], organisation_choice=None, coverage="full",
        coverage_note=None, rationale=None, scope="all-keys", tested=[],
    )  # fmt: skip
    framework = FrameworkRecord(id="f", name="F", version="1", source="f.yaml", controls=[control])
    return sample_document().model_copy(update={"findings": findings, "frameworks": [framework]})


def test_diff_documents() -> None:
    """New, resolved, persisting by id; waiver changes; control changes both ways."""
    old = document([finding("a"), finding("b")], "fails")
    new = document([finding("b", "waived"), finding("c")], "holds")
    diff = diff_documents(old, new).data()
    assert [f["id"] for f in diff["new"]] == ["c"]
    assert [f["id"] for f in diff["resolved"]] == ["a"]
    assert [f["id"] for f in diff["persisting"]] == ["b"]
    assert diff["waiver_changes"] == [{"id": "b", "from": None, "to": "waived"}]
    assert diff["controls"] == [{"framework": "f", "control": "1", "from": "fails", "to": "holds"}]


def test_stable_id() -> None:
    """Same rule and subject -> same id; the provider separates same key ids of two providers."""
    assert stable_id("unused", "k1", None) == stable_id("unused", "k1", None)
    assert len(stable_id("unused", "k1", None)) == 16
    assert stable_id("unused", "k1", "aws") != stable_id("unused", "k1", "gcp")


def test_policy_marks_a_whole_environment_cardholder_data() -> None:
    """environments.prod.cardholder_data: every prod key is in PCI 3.6/3.7 scope, others not."""
    policy = parse_policy(
        {"environments": {"prod": {"rotation_days": 90, "cardholder_data": True}}}, "p"
    )
    keys = [KeyBase(key_id="p1", environment="prod"), KeyBase(key_id="d1", environment="dev")]
    records = keys_section(keys, policy, datetime(2026, 10, 1, tzinfo=UTC), [])
    assert [k.cardholder_data for k in records] == [True, False]
    scoped = control("a", scope="cardholder-data")
    got = record(scoped, {"a"}, [on_key("a", "p1"), on_key("a", "d1")], keys=records)  # type: ignore[arg-type]
    assert (got.status, got.findings) == ("fails", 1)


def test_keys_outside_a_rules_scope_are_not_counted_as_tested() -> None:
    """A rule judging only some keys (active ones, AWS IAM keys) counts only those as tested."""
    got = record(control("a"), {"a"}, [on_key("a", "k1")], judged={"a": (2, 0)})
    summary = "2 keys tested (1 other key outside the rule's scope), 1 exception"
    assert (got.tested[0].summary, got.tested[0].population) == (summary, 2)
    none_in_scope = record(control("a"), {"a"}, [], judged={"a": (0, 0)})
    assert (none_in_scope.status, none_in_scope.tested[0].coverage) == ("holds", "full")
