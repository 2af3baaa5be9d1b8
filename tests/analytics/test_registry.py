"""Every registered log check runs, returns hits, and belongs to a log rule of the catalogue."""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb
import pytest

from tests.analytics.helpers import T0, ev, key, run
from toolkit.analytics.duck.analyse import analyse
from toolkit.analytics.interface import AnalyticsError
from toolkit.rules.catalogue import LOG_CHECKS, RULES
from toolkit.rules.interface import Hit, LogCheck, Needs, Tier
from toolkit.rules.model import Rule, hit_finding
from toolkit.rules.settings import DetectionSettings

LOG_RULE_IDS = {rule_id for rule_id, m in RULES.items() if Needs.LOGS in m.RULE.needs}


@pytest.mark.parametrize(("rule", "check"), LOG_CHECKS, ids=lambda x: getattr(x, "id", ""))
def test_log_check_is_wired(rule: Rule, check: LogCheck) -> None:
    """Each check belongs to a log rule, has a tier, and runs on an ordinary log."""
    assert rule.id in LOG_RULE_IDS and check in rule.checks
    assert isinstance(check.tier or rule.tier, Tier)
    result = run([ev(T0), ev(T0 + timedelta(seconds=1), key_id="other")], [key()])
    assert all(isinstance(h, Hit) for h in result.hits[check.id])
    assert check.id in result.timings


def test_check_ids_are_unique_and_cover_every_log_rule() -> None:
    """No id twice; every log rule of the catalogue has a check."""
    ids = [check.id for _rule, check in LOG_CHECKS]
    assert len(ids) == len(set(ids))
    assert {rule.id for rule, _check in LOG_CHECKS} == LOG_RULE_IDS
    assert len(LOG_RULE_IDS) == 10


def test_findings_carry_rule_ids_and_no_secret_values() -> None:
    """hit_finding keeps subject, severity and evidence (as JSON data) and names the check."""
    result = run([ev(T0), ev(T0 + timedelta(seconds=1))], [key(revoked_at=T0)])
    findings = [hit_finding(r, c, h, result.as_of) for _, r, c, h in result.tiered()]
    (finding,) = [f for f in findings if f.rule_id == "used-after-revocation"]
    assert finding.subject == "k1"
    assert finding.evidence["detection"] == "used-after-revocation"
    assert all(not isinstance(v, datetime) for v in finding.evidence.values())
    assert finding.at is not None


def test_missing_events_table_is_a_clear_error() -> None:
    """analyse without loaded events raises an AnalyticsError (exit 2 in the CLI)."""
    with pytest.raises(AnalyticsError, match="no access events"):
        analyse(duckdb.connect(), [], DetectionSettings(), T0)
