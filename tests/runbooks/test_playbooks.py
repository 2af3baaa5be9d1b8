"""Shipped playbooks validate; broken ones are refused with the YAML path; registries are wired."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import DATA
from toolkit.cli import cli
from toolkit.content import content_dir
from toolkit.runbooks.actions import ACTIONS
from toolkit.runbooks.checks import STEP_TYPES
from toolkit.runbooks.loader import PlaybookProblems, load_playbook
from toolkit.runbooks.runbook import build_runbook
from toolkit.runbooks.schema import Step
from toolkit.runbooks.steps import HANDLERS

SHIPPED = sorted(content_dir("playbooks").glob("*.yaml"))
BROKEN = DATA / "playbooks" / "broken"
SEED = next(
    (
        folder / "shared" / "seed" / "000_03452c3a314211f4.txt"
        for folder in Path(__file__).resolve().parents
        if (folder / "shared" / "seed" / "000_03452c3a314211f4.txt").exists()
    ),
    Path("seed-not-found"),
)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_playbook_validates(path: Path) -> None:
    loaded = load_playbook(path)
    runbook = build_runbook(loaded)
    assert loaded.playbook.id == path.stem
    assert runbook.steps and all(flat.step.title for flat in runbook.steps)


def test_the_four_playbooks_of_the_seed_are_shipped() -> None:
    assert [p.stem for p in SHIPPED] == [
        "key-compromise", "key-leakage", "rotation-automated", "rotation-manual",
    ]  # fmt: skip


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_seed_steps_are_quoted_from_the_seed(path: Path) -> None:
    """Each step's ``seed`` line is a line of the seed policy, and they come in its order."""
    if not SEED.exists():
        pytest.skip("seed policy not available")
    seed = SEED.read_text(encoding="utf-8")
    quoted = [s.seed for s in load_playbook(path).playbook.steps if s.seed]
    assert quoted
    position = 0
    for line in quoted:  # each found after the one before it: the seed's order
        found = seed.find(line, position)
        assert found >= 0, f"{line!r} is not in the seed after the previous step's line"
        position = found + len(line)


BROKEN_CASES = {
    "unknown-step-type.yaml": ":9: steps[1].type: unknown step type",
    "missing-branch.yaml": ":18: steps[1].cases[0].goto: branch to a missing step 'nowhere'",
    "unknown-action.yaml": ":8: steps[0].uses: unknown action 'deactivate-everything'",
    "cycle.yaml": ":9: steps[1]: cycle without exit",
    "unknown-key.yaml": ":13: steps[0].items[0].txt: unknown key",
    "bad-expression.yaml": ":8: steps[0].when: expression:",
}


@pytest.mark.parametrize("name", sorted(BROKEN_CASES))
def test_broken_playbook_is_refused_with_its_yaml_path(name: str) -> None:
    with pytest.raises(PlaybookProblems) as info:
        load_playbook(BROKEN / name)
    assert any(
        problem.startswith(str(BROKEN / name)) and BROKEN_CASES[name] in problem
        for problem in info.value.problems
    ), info.value.problems


def test_every_broken_case_has_a_file() -> None:
    assert sorted(p.name for p in BROKEN.glob("*.yaml")) == sorted(BROKEN_CASES)


def test_validate_command_prints_each_problem_and_exits_2() -> None:
    result = CliRunner().invoke(cli, ["playbook", "validate", str(BROKEN / "cycle.yaml"),
                                      str(SHIPPED[0])])  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.count("cycle without exit") == 3
    assert f"{SHIPPED[0]}: valid" in result.stdout


def test_playbook_list_shows_the_shipped_playbooks() -> None:
    result = CliRunner().invoke(cli, ["playbook", "list", "--json"])
    assert result.exit_code == 0
    assert "key-leakage" in result.stdout and "rotation-manual" in result.stdout


def test_a_user_playbook_overrides_a_shipped_one(tmp_path: Path) -> None:
    text = (content_dir("playbooks") / "rotation-manual.yaml").read_text()
    (tmp_path / "rotation-manual.yaml").write_text(text.replace('version: "1.0"', 'version: "9"'))
    result = CliRunner().invoke(cli, ["playbook", "list", "--playbooks", str(tmp_path), "--json"])
    assert '"version": "9"' in result.stdout


def test_step_types_are_all_handled_and_all_declared() -> None:
    declared = {
        member.model_fields["type"].annotation.__args__[0]  # type: ignore[union-attr]
        for member in Step.__origin__.__args__
    }  # type: ignore[attr-defined]
    assert set(HANDLERS) == set(STEP_TYPES) == declared


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_every_action_is_used_by_a_shipped_playbook(name: str) -> None:
    used = {getattr(s, "uses", None) for p in SHIPPED for s in load_playbook(p).playbook.steps}
    assert name in used
    assert ACTIONS[name].name == name and ACTIONS[name].title
