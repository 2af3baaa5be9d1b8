"""Every rule-case folder: the keys in expected.yaml's fail list fail, those in pass do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.casefiles import CASES, case_folders, events_jsonl, load_case
from toolkit.analytics.alerts import with_logged_use
from toolkit.analytics.duck.analyse import analyse
from toolkit.analytics.duck.events import connect, load_events
from toolkit.rules.engine import EVALUATED, NOT_EVALUATED, evaluate_rules
from toolkit.rules.interface import RuleInputs

FOLDERS = case_folders()


def _analytics(case, tmp_path: Path):  # noqa: ANN001, ANN202
    """The analytics result over the case's events (None when it has no events.yaml)."""
    path = events_jsonl(case.folder / "events.yaml", case.as_of, tmp_path / "events.jsonl")
    if path is None:
        return None
    con = connect()
    load_events(con, [path])
    return analyse(con, case.keys, case.policy.detection_settings(), case.as_of)


@pytest.mark.parametrize("folder", FOLDERS, ids=[str(p.relative_to(CASES)) for p in FOLDERS])
def test_rule_case(folder: Path, tmp_path: Path) -> None:
    """The rule fails exactly the expected subjects among those the case names, leaves the
    ``not_evaluated_for`` ones unjudged, or (``not_evaluated``) does not run, with the reason.

    Inputs are built as an audit run builds them: logged last use raised into the keys, and
    the number of events the logs hold up to as-of.
    """
    case = load_case(folder)
    assert case.fail or case.passing or case.unjudged or case.not_evaluated, "names no subject"
    analysis = _analytics(case, tmp_path)
    hits = analysis.hits if analysis else None
    events = analysis.coverage.events if analysis else None
    keys = with_logged_use(case.keys, analysis.usage) if analysis else case.keys
    inputs = RuleInputs(keys, case.policy, case.as_of, hits, case.scan, events)
    evaluation = evaluate_rules(inputs, rule_ids=[case.rule_id])
    if case.not_evaluated:
        assert evaluation.status == {case.rule_id: NOT_EVALUATED}
        assert evaluation.reasons[case.rule_id] == case.not_evaluated
        return
    assert evaluation.status == {case.rule_id: EVALUATED}
    failed = {f.subject for f in evaluation.findings}
    unjudged = {u.subject for u in evaluation.unjudged.get(case.rule_id, [])}
    assert all(f.rule_id == case.rule_id for f in evaluation.findings)
    assert sorted(set(case.fail) - failed) == [], "expected to fail but passed"
    assert sorted(set(case.passing) & failed) == [], "expected to pass but failed"
    assert sorted(set(case.passing) & unjudged) == [], "expected to pass but was not judged"
    assert sorted(set(case.unjudged) - unjudged) == [], "expected not to be judged"
    assert not unjudged & failed, "a subject both failed and not judged"
