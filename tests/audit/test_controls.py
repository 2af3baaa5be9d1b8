"""Control status rules and the diff of two documents, on small hand-made values."""

from __future__ import annotations

from collections import Counter

import pytest

from toolkit.audit.controls import control_status
from toolkit.audit.diff import diff_documents
from toolkit.audit.document import stable_id
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


def finding(fid: str, waiver: str | None = None) -> dict:
    """A minimal finding."""
    state = {"state": waiver} if waiver else None
    return {
        "id": fid,
        "rule_id": "r",
        "severity": "high",
        "subject": fid,
        "message": "m",
        "waiver": state,
    }


def test_diff_documents() -> None:
    """New, resolved, persisting by id; waiver changes; control changes both ways."""
    old = {
        "findings": [finding("a"), finding("b")],
        "frameworks": [{"id": "f", "controls": [{"id": "1", "status": "fails"}]}],
    }
    new = {
        "findings": [finding("b", "waived"), finding("c")],
        "frameworks": [{"id": "f", "controls": [{"id": "1", "status": "holds"}]}],
    }
    diff = diff_documents(old, new)
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
