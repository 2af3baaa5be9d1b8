"""Control status rules and the diff of two documents, on small hand-made values."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Literal

import pytest

from tests.reports.docgen import sample_document
from toolkit.audit.controls import control_status
from toolkit.audit.diff import diff_documents
from toolkit.audit.document import stable_id
from toolkit.audit.response_record import ResponseBook
from toolkit.audit.result import (
    ControlRecord,
    ControlStatus,
    FindingRecord,
    FindingWaiver,
    FrameworkRecord,
    ResultDocument,
)
from toolkit.rules.frameworks import Control


def control(*rules: str) -> Control:
    """A control mapped to ``rules``."""
    return Control(
        id="X.1", title="Test", statement="A test control.", citation="Test 1", rules=rules
    )


@pytest.mark.parametrize(
    ("rules", "evaluated", "open_findings", "expected"),
    [
        ((), set(), {}, "manual"),
        (("a", "b"), {"a", "b"}, {}, "holds"),
        (("a", "b"), {"a", "b"}, {"b": 1}, "fails"),
        (("a", "b"), {"a"}, {"a": 2}, "fails"),
        (("a", "b"), {"a"}, {}, "not_evaluated"),
        (("a",), set(), {}, "not_evaluated"),
    ],
    ids=["manual", "holds", "fails", "fails-even-if-partly-evaluated", "not-evaluated", "none-ran"],
)
def test_control_status(
    rules: tuple[str, ...], evaluated: set[str], open_findings: dict, expected: str
) -> None:
    """fails > not_evaluated > holds; manual when unmapped; a rule that did not run never passes."""
    assert control_status(control(*rules), evaluated, Counter(open_findings)) == expected


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


def document(findings: list[FindingRecord], status: ControlStatus) -> ResultDocument:
    """The sample document with these findings and one framework of one control."""
    control = ControlRecord(
        id="1", title="t", statement="s", citation="c", rules=["r"], status=status, findings=0,
        waived=0, thresholds={}, guardrails=[], organisation_choice=None,
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
