"""The rule catalogue: every DESIGN.md rule id has a module, metadata, and test cases."""

from __future__ import annotations

import hashlib
import importlib
import json
import pkgutil
import types

import pytest
import yaml
from pydantic import ValidationError

import toolkit.rules.catalogue as catalogue
from tests.rules.casefiles import CASES, case_folders
from toolkit.errors import RuleError
from toolkit.rules.catalogue import LOG_CHECKS, RULES, RULESET_VERSION, _check, rule_thresholds
from toolkit.rules.interface import Finding, LogCheck, Needs, RuleInputs, Severity, Tier
from toolkit.rules.model import Rule
from toolkit.rules.policy import Policy

DESIGN_RULE_IDS = (
    "rotation-overdue",
    "expiring-soon",
    "expired-active",
    "no-expiry",
    "unused",
    "shared-across-environments",
    "shared-between-owners",
    "weak-key",
    "broad-scope",
    "missing-metadata",
    "revoked-without-reason",
    "rotation-overlap-exceeded",
    "used-after-revocation",
    "used-after-expiry",
    "failed-auth-burst",
    "new-location",
    "usage-anomaly",
    "failed-auth-rate-increase",
    "new-key-generated",
    "unknown-key-activity",
    "access-without-audit-trail",
    "log-retention-gap",
    "inventoried-key-exposed",
    "secret-in-code",
    "secret-in-logs",
    "env-file-not-ignored",
    "config-permissions",
)
"""The Rules table of DESIGN.md, in its order (rule ids are contracts)."""
RULE_IDS = tuple(RULES)
"""Every registered rule: the tests below loop over the registry."""


def test_registry_holds_the_design_table_in_order() -> None:
    """No DESIGN.md rule missing, same order; a rule added since is documented (docs test)."""
    assert tuple(r for r in RULES if r in DESIGN_RULE_IDS) == DESIGN_RULE_IDS
    assert len(RULES) >= len(DESIGN_RULE_IDS)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_module_metadata_and_cases(rule_id: str) -> None:
    """Module named after the id, RULE.id matches, and a case folder exists with both outcomes."""
    module = importlib.import_module(f"toolkit.rules.catalogue.{rule_id.replace('-', '_')}")
    assert RULES[rule_id] is module
    assert module.RULE.id.replace("-", "_") == module.__name__.rsplit(".", 1)[1]
    assert (CASES / rule_id).is_dir()
    outcomes = {"fail": 0, "pass": 0}
    for folder in case_folders():
        if folder.relative_to(CASES).parts[0] == rule_id:
            expected = yaml.safe_load((folder / "expected.yaml").read_text())
            outcomes["fail"] += len(expected.get("fail") or [])
            outcomes["pass"] += len(expected.get("pass") or [])
    assert outcomes["fail"] and outcomes["pass"], outcomes


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_log_checks_match_needs_and_thresholds_resolve(rule_id: str) -> None:
    """A rule has log checks exactly when it needs logs; every threshold names a policy value."""
    module = RULES[rule_id]
    rule: Rule = module.RULE
    assert bool(rule.checks) == (Needs.LOGS in rule.needs)
    assert [c.id for c in rule.checks][:1] == ([rule_id] if rule.checks else [])
    assert isinstance(rule.severity, Severity) and isinstance(rule.tier, Tier)
    values = rule_thresholds(rule, Policy())
    assert len(values) >= len(rule.thresholds)


def test_every_case_folder_names_a_rule() -> None:
    """A case folder for a rule that does not exist fails (typo in a folder name)."""
    assert {f.relative_to(CASES).parts[0] for f in case_folders()} == set(RULES)


def test_every_catalogue_module_is_registered() -> None:
    """A rule module added but not wired into RULES fails; helpers start with an underscore."""
    names = {m.name for m in pkgutil.iter_modules(catalogue.__path__) if not m.name.startswith("_")}
    assert names == {module.__name__.rsplit(".", 1)[1] for module in RULES.values()}


def test_thresholds_expand_per_environment() -> None:
    """rotation-overdue reads every environment's period, including the user's own."""
    policy = Policy.model_validate({"environments": {"qa": {"rotation_days": 30}}})
    values = rule_thresholds(RULES["rotation-overdue"].RULE, policy)
    assert values["environments.qa.rotation_days"] == 30
    assert values["environments.prod.rotation_days"] == 90
    assert values["default_environment.rotation_days"] == 90


def test_ruleset_version_is_a_digest_of_the_metadata() -> None:
    """The first 12 hex digits of the SHA-256 of every rule's metadata as canonical JSON."""
    text = json.dumps(catalogue.ruleset_metadata(), sort_keys=True, separators=(",", ":"))
    assert RULESET_VERSION == hashlib.sha256(text.encode()).hexdigest()[:12]
    assert catalogue.ruleset_metadata()[0]["severity"] == "medium"


def _rule(**changes: object) -> dict[str, object]:
    """Valid Rule arguments with some changed."""
    base: dict[str, object] = {
        "id": "example-rule",
        "title": "An example",
        "severity": "high",
        "tier": "daily",
        "remediation": "Do the right thing.",
        "description": "Checks the example.",
        "needs": ("inventory",),
    }
    return base | changes


@pytest.mark.parametrize(
    "changes",
    [
        {"severity": "severe"},
        {"tier": "hourly"},
        {"remediation": "   "},
        {"id": "Not_Kebab"},
        {"needs": ()},
        {"colour": "red"},
    ],
)
def test_rule_metadata_is_validated(changes: dict[str, object]) -> None:
    """Bad enums, blank remediation, bad ids, no needs and unknown fields are refused."""
    with pytest.raises(ValidationError):
        Rule(**_rule(**changes))


def _module(name: str, rule: Rule | None, **functions: object) -> types.ModuleType:
    """A stand-in rule module for the registry checks."""
    module = types.ModuleType(f"toolkit.rules.catalogue.{name}")
    if rule is not None:
        module.RULE = rule  # type: ignore[attr-defined]
    for fn_name, fn in functions.items():
        setattr(module, fn_name, fn)
    return module


def _evaluate(inputs: RuleInputs) -> list[Finding]:
    """A do-nothing inventory rule."""
    return []


@pytest.mark.parametrize(
    ("module", "message"),
    [
        (_module("example_rule", None, evaluate=_evaluate), "no RULE"),
        (_module("other_name", Rule(**_rule()), evaluate=_evaluate), "does not match"),
        (_module("example_rule", Rule(**_rule())), "no evaluate"),
        (
            _module("example_rule", Rule(**_rule(thresholds=("nope",))), evaluate=_evaluate),
            "not a policy key",
        ),
    ],
)
def test_registry_check_refuses_broken_modules(module: types.ModuleType, message: str) -> None:
    """Missing RULE, id/module mismatch, no evaluate function, unknown threshold: RuleError."""
    with pytest.raises(RuleError, match=message):
        _check(module)


def test_docs_describe_every_rule_and_policy_key() -> None:
    """docs/policy-and-rules.md names every rule id and every top-level policy key."""
    text = (CASES.parents[2] / "docs" / "policy-and-rules.md").read_text()
    assert [rule_id for rule_id in RULES if f"`{rule_id}`" not in text] == []
    assert [key for key in Policy.model_fields if f"`{key}" not in text] == []


def test_log_check_ids_are_unique_and_logs_rules_have_checks() -> None:
    """Every log check id appears once; log rules (and only they) run checks."""
    ids = [check.id for _rule, check in LOG_CHECKS]
    assert len(ids) == len(set(ids))
    assert {rule.id for rule, _check in LOG_CHECKS} == {
        rule_id for rule_id, module in RULES.items() if Needs.LOGS in module.RULE.needs
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"needs": ("logs",)}, "exactly when it needs logs"),
        ({"checks": (LogCheck("example-rule", lambda q: []),)}, "exactly when it needs logs"),
        (
            {"needs": ("logs",), "checks": (LogCheck("other-id", lambda q: []),)},
            "named after the rule",
        ),
    ],
)
def test_log_checks_are_validated(changes: dict[str, object], message: str) -> None:
    """A log rule without checks, checks on a non-log rule, a first check misnamed: refused."""
    with pytest.raises(ValidationError, match=message):
        Rule(**_rule(**changes))
