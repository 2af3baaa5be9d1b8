"""The engine: which rules run, not-evaluated reasons, ordering, and no secret in findings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import toolkit.store  # noqa: F401  (import order: toolkit.models needs the store package first)
from toolkit.models import KeyBase
from toolkit.rules.catalogue import RULES
from toolkit.rules.engine import EVALUATED, NOT_EVALUATED, evaluate_rules, sort_key
from toolkit.rules.interface import Needs, RuleInputs
from toolkit.rules.policy import Policy
from toolkit.scan.results import ScanItem, ScanResults

AS_OF = datetime(2026, 10, 1, tzinfo=UTC)
KEYS = [
    KeyBase(
        key_id="old",
        environment="prod",
        owner="a",
        name="n",
        scopes=["read"],
        created_at=AS_OF - timedelta(days=200),
        expires_at=AS_OF + timedelta(days=100),
    ),
    KeyBase(
        key_id="expired",
        environment="prod",
        owner="a",
        name="n",
        scopes=["*"],
        created_at=AS_OF - timedelta(days=10),
        expires_at=AS_OF - timedelta(days=1),
    ),
]


def test_without_logs_or_scan_only_inventory_rules_run() -> None:
    """Log and scan rules are 'not evaluated' with a reason, never passing."""
    evaluation = evaluate_rules(RuleInputs(KEYS, Policy(), AS_OF))
    for rule_id, module in RULES.items():
        needs = module.RULE.needs
        if needs == (Needs.INVENTORY,):
            assert evaluation.status[rule_id] == EVALUATED
            assert rule_id not in evaluation.reasons
        else:
            assert evaluation.status[rule_id] == NOT_EVALUATED
            assert not evaluation.evaluated(rule_id)
            logs = Needs.LOGS in needs
            expected = "no access logs given" if logs else "no scan results given"
            assert evaluation.reasons[rule_id] == expected


def test_scan_results_make_scan_rules_evaluated() -> None:
    """A scan that names what it scanned and found nothing counts: the scan rules ran clean."""
    scan = ScanResults(roots=("repo",))
    evaluation = evaluate_rules(RuleInputs(KEYS, Policy(), AS_OF, scan=scan))
    assert evaluation.status["secret-in-code"] == EVALUATED
    assert not [f for f in evaluation.findings if f.rule_id == "secret-in-code"]


def test_scan_that_covered_nothing_is_not_evaluated() -> None:
    """Hostile 3: a scan naming no root and no finding is no evidence - never 'holds'."""
    evaluation = evaluate_rules(RuleInputs(KEYS, Policy(), AS_OF, scan=ScanResults()))
    for rule_id in ("secret-in-code", "inventoried-key-exposed", "config-permissions"):
        assert evaluation.status[rule_id] == NOT_EVALUATED
        assert (
            evaluation.reasons[rule_id] == "the scan results name no scanned folder and no finding"
        )


def test_logs_without_events_leave_log_rules_not_evaluated() -> None:
    """Hostile 3: logs with zero events up to as-of are no evidence; one event is some."""
    empty = evaluate_rules(RuleInputs(KEYS, Policy(), AS_OF, hits={}, log_events=0))
    some = evaluate_rules(RuleInputs(KEYS, Policy(), AS_OF, hits={}, log_events=1))
    for rule_id, module in RULES.items():
        if Needs.LOGS in module.RULE.needs:
            assert empty.status[rule_id] == NOT_EVALUATED
            assert empty.reasons[rule_id] == "the access logs hold no events up to the as-of time"
            assert some.status[rule_id] == EVALUATED


def test_findings_sorted_by_severity_rule_and_subject() -> None:
    """Most severe first, then rule id, then subject."""
    scan = ScanResults(
        findings=(
            ScanItem(kind="secret", file="b.py", line=1),
            ScanItem(kind="secret", file="a.py", line=2),
        )
    )
    findings = evaluate_rules(RuleInputs(KEYS, Policy(), AS_OF, scan=scan)).findings
    assert findings == sorted(findings, key=sort_key)
    assert findings[0].severity == "high"
    ids = [(f.rule_id, f.subject) for f in findings]
    assert ids.index(("secret-in-code", "a.py:2")) < ids.index(("secret-in-code", "b.py:1"))
    assert ("rotation-overdue", "old") in ids and ("expired-active", "expired") in ids


def test_findings_carry_provider_environment_and_evidence() -> None:
    """Key identity in subject/provider/environment; evidence is JSON-ready dates and numbers."""
    finding = next(
        f
        for f in evaluate_rules(RuleInputs(KEYS, Policy(), AS_OF)).findings
        if f.rule_id == "rotation-overdue"
    )
    assert (finding.subject, finding.provider, finding.environment) == ("old", "house", "prod")
    assert finding.evidence == {
        "last_rotated": "2026-03-15T00:00:00Z",
        "age_days": 200.0,
        "rotation_days": 90,
        "due_at": "2026-06-13T00:00:00Z",
    }


def test_rule_ids_selects_rules() -> None:
    """Only the named rules are evaluated."""
    evaluation = evaluate_rules(RuleInputs(KEYS, Policy(), AS_OF), rule_ids=["no-expiry"])
    assert evaluation.status == {"no-expiry": EVALUATED}
    assert evaluation.findings == []


def test_several_hits_on_one_subject_become_one_finding() -> None:
    """Two secrets on the same line (two detectors): one finding listing both occurrences."""
    scan = ScanResults(
        findings=(
            ScanItem(kind="secret", file="a.py", line=3, detector="aws-access-key"),
            ScanItem(kind="secret", file="a.py", line=3, detector="generic-api-key"),
        )
    )
    findings = evaluate_rules(RuleInputs([], Policy(), AS_OF, scan=scan)).findings
    assert [(f.rule_id, f.subject) for f in findings] == [("secret-in-code", "a.py:3")]
    assert findings[0].evidence["count"] == 2
    assert [o["detector"] for o in findings[0].evidence["occurrences"]] == [
        "aws-access-key",
        "generic-api-key",
    ]
    assert findings[0].message.endswith("(+1 more)")
