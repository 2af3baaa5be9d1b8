"""The expression language: what it reads, what it refuses, how missing values behave."""

from __future__ import annotations

from typing import Any

import pytest

from toolkit.runbooks.expr import MISSING, ExprError, evaluate, names, parse

FACTS: dict[tuple[str, ...], Any] = {
    ("answers", "triage", "public"): True,
    ("answers", "impact", "residents"): 501,
    ("outputs", "access-review", "suspicious_ips"): ["177.67.80.14"],
    ("status", "escalate"): "done",
}


def value(text: str) -> Any:
    """Evaluate against FACTS."""
    return evaluate(parse(text), lambda name: FACTS.get(name, MISSING)).value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("answers.triage.public == true", True),
        ("answers.impact.residents > 500 and answers.triage.public", True),
        ("answers.impact.residents >= 502 or not answers.triage.public", False),
        ("len(outputs.access-review.suspicious_ips) > 0", True),
        ("'177.67.80.14' in outputs.access-review.suspicious_ips", True),
        ("status.escalate != 'done'", False),
        ("answers.unknown.field == false", False),  # missing compares false, never equal
        ("not exists(answers.unknown.field)", True),
        ("answers.impact.residents in [1, 501]", True),
        ("(answers.triage.public or false) and true", True),
    ],
)
def test_evaluation(text: str, expected: Any) -> None:
    assert value(text) is expected


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os')",
        "answers",
        "open.file",
        "1 +",
        "answers.x.y ==",
        "len(",
        "eval(1)",
        "a; b",
    ],
)
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(ExprError):
        parse(text)


def test_evaluation_records_the_values_read() -> None:
    result = evaluate(
        parse("answers.triage.public and answers.x.y"), lambda n: FACTS.get(n, MISSING)
    )
    assert result.read == {"answers.triage.public": True, "answers.x.y": None}


def test_names_lists_every_name() -> None:
    assert names(parse("exists(answers.a.b) or status.c == 'done'")) == [
        ("answers", "a", "b"), ("status", "c"),
    ]  # fmt: skip
