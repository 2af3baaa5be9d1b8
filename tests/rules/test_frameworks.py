"""Every framework file loads, names only catalogue rules, and the loader rejects bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import FrameworkError
from toolkit.rules.catalogue import RULES
from toolkit.rules.frameworks import (
    Framework,
    framework_files,
    frameworks,
    load_framework,
    select,
)

FILES = framework_files()

GOOD = """\
id: {stem}
name: Test framework
version: "1"
source: test
controls:
  - id: A.1
    title: First control
    statement: The first control holds when no rule fails.
    citation: Test A.1
    rules: [{rule}]
    rationale: 'The test says "the first control holds"; the rule checks it.'
"""


def write(tmp_path: Path, text: str, stem: str = "toy") -> Path:
    """Write a framework file named ``<stem>.yaml`` and return its path."""
    path = tmp_path / f"{stem}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_four_frameworks_ship() -> None:
    """SOC 2, PCI DSS, GDPR and HIPAA are all there, found by glob."""
    assert {p.stem for p in FILES} >= {"soc2", "pci-dss", "gdpr", "hipaa"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_framework_file_is_valid(path: Path) -> None:
    """Loads with id == stem, unique control ids, and only rule ids the catalogue has."""
    framework = load_framework(path)
    assert framework.id == path.stem
    ids = [c.id for c in framework.controls]
    assert len(ids) == len(set(ids))
    assert framework.rule_ids() <= set(RULES)
    assert any(c.manual for c in framework.controls), "the whole catalogue includes manual controls"
    assert any(not c.manual for c in framework.controls)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_statements_are_one_line_and_cited(path: Path) -> None:
    """Each control has a one-line statement and a citation."""
    for control in load_framework(path).controls:
        assert "\n" not in control.statement
        assert control.citation


def test_pci_numbers_come_from_the_standard() -> None:
    """The framework numbers the brief names are recorded on their controls."""
    pci = frameworks()["pci-dss"]
    assert pci.control("8.2.8").thresholds == {"idle_minutes": 15}
    assert pci.control("8.3.4").thresholds["failed_auth"] == 10
    assert pci.control("10.5.1").thresholds["retention_months"] == 12
    assert pci.control("8.6.3").organisation_choice
    assert pci.control("12.10.1").manual


def test_required_controls_are_listed() -> None:
    """Spot-check the catalogue: the sub-requirements the issue names are present."""
    wanted = {
        "soc2": ["CC6.1", "CC6.8", "CC7.1", "CC7.5", "CC8.1", "CC2.1", "C1.2"],
        "pci-dss": [
            "3.6.1",
            "3.7.8",
            "7.2.5.1",
            "8.3.11",
            "8.6.3",
            "10.2.1.7",
            "10.7.3",
            "12.10.7",
        ],
        "gdpr": ["Art. 5(1)(e)", "Art. 5(1)(f)", "Art. 25", "Art. 33(1)", "Art. 34(1)"],
        "hipaa": ["164.308(a)(1)(ii)(D)", "164.312(d)", "164.316(b)(2)(i)", "164.410"],
    }
    for framework_id, controls in wanted.items():
        framework = frameworks()[framework_id]
        for control_id in controls:
            framework.control(control_id)


def test_select_keeps_order_and_rejects_unknown() -> None:
    """Default selection is all four in report order; unknown ids are refused by name."""
    assert [f.id for f in select(None)][:4] == ["soc2", "pci-dss", "gdpr", "hipaa"]
    assert [f.id for f in select(["gdpr", "soc2"])] == ["gdpr", "soc2"]
    with pytest.raises(FrameworkError, match="'iso27001'"):
        select(["iso27001"])


def test_good_file_loads(tmp_path: Path) -> None:
    """A minimal correct file is accepted."""
    path = write(tmp_path, GOOD.format(stem="toy", rule="no-expiry"))
    assert isinstance(load_framework(path, {"no-expiry"}), Framework)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.format(stem="other", rule="no-expiry"), "id: 'other' must equal the file name"),
        (GOOD.format(stem="toy", rule="no-such-rule"), "(id A.1).rules: unknown rule id"),
        (GOOD.format(stem="toy", rule="no-expiry") + "    colour: red\n", "(id A.1).colour"),
        (GOOD.format(stem="toy", rule="no-expiry") + "extra: 1\n", "toy.yaml: extra"),
        (
            GOOD.format(stem="toy", rule="no-expiry")
            + GOOD.format(stem="toy", rule="no-expiry").split("controls:\n")[1],
            "duplicate control id",
        ),
        (
            GOOD.format(stem="toy", rule="no-expiry").replace("rationale: 'The test says", "#"),
            "(id A.1): Value error, rationale: a control with rules needs one quoting",
        ),
        (
            GOOD.format(stem="toy", rule="no-expiry").replace('"the first control holds"', "it"),
            "needs one quoting the requirement",
        ),
        ("id: toy\n  bad: [\n", "not valid YAML"),
        ("- just\n- a list\n", "expected a mapping"),
    ],
    ids=[
        "id-stem",
        "unknown-rule",
        "unknown-control-key",
        "unknown-top-key",
        "duplicate",
        "no-rationale",
        "rationale-quotes-nothing",
        "yaml",
        "list",
    ],
)
def test_bad_files_name_file_and_path(tmp_path: Path, text: str, message: str) -> None:
    """Each problem is refused with the file and the YAML path in the message."""
    path = write(tmp_path, text)
    with pytest.raises(FrameworkError) as info:
        load_framework(path, {"no-expiry"})
    assert message in str(info.value)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_mapping_quotes_its_requirement(path: Path) -> None:
    """Each control with rules carries a rationale quoting the requirement's own words."""
    for control in load_framework(path).controls:
        if control.rules:
            assert control.rationale and '"' in control.rationale, control.id


def mapped(framework_id: str, rule_id: str) -> set[str]:
    """The controls of a framework that a rule is mapped to."""
    return {c.id for c in frameworks()[framework_id].controls if rule_id in c.rules}


def test_rotation_is_cc6_1_not_cc8_1() -> None:
    """SOC 2: rotation is logical access security (CC6.1), not change management (CC8.1)."""
    assert "CC6.1" in mapped("soc2", "rotation-overdue")
    assert "CC8.1" not in mapped("soc2", "rotation-overdue")
    assert frameworks()["soc2"].control("CC8.1").manual


def test_pci_user_password_rules_take_no_key_rule() -> None:
    """PCI 8.3.9 and 8.2.6 are user password/inactivity rules: keys are judged under 8.6.x."""
    pci = frameworks()["pci-dss"]
    assert pci.control("8.3.9").manual and pci.control("8.2.6").manual
    assert mapped("pci-dss", "rotation-overdue") >= {"8.6.3"}
    assert "8.6.2" in mapped("pci-dss", "secret-in-code")
    assert "7.2.5.1" in mapped("pci-dss", "unused") and "7.2.4" not in mapped("pci-dss", "unused")


def test_assessor_strikes_are_gone() -> None:
    """10.3.1 is about audit logs, C1.2 about disposal, Art. 30 about records of processing,
    Art. 32(1)(a) about encryption: none is evidenced by credential checks."""
    assert frameworks()["pci-dss"].control("10.3.1").manual
    assert frameworks()["soc2"].control("C1.2").manual
    assert frameworks()["gdpr"].control("Art. 32(1)(a)").manual
    assert "Art. 30" not in {c.id for c in frameworks()["gdpr"].controls}


def test_pci_3_6_and_3_7_are_cardholder_data_scoped() -> None:
    """Keys protecting stored account data are the population of every mapped 3.6/3.7 control."""
    for control in frameworks()["pci-dss"].controls:
        if control.id.startswith(("3.6", "3.7")) and control.rules:
            assert control.scope == "cardholder-data", control.id
        if not control.id.startswith(("3.6", "3.7")):
            assert control.scope == "all-keys", control.id


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_no_internal_words(path: Path) -> None:
    """Customer-facing framework text never says "seed" and holds no raw backticks."""
    for control in load_framework(path).controls:
        for text in (control.statement, control.rationale, control.organisation_choice):
            assert "seed" not in (text or "").lower() and "`" not in (text or ""), control.id
