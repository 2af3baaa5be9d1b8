"""Checklist files: every shipped one validates; broken ones are refused with the YAML path."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.checklists.evaluators import EVALUATORS
from toolkit.checklists.model import DEFINITIONS_DIR, Period, load_all, load_checklist
from toolkit.errors import ChecklistError

SHIPPED = sorted(DEFINITIONS_DIR.glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_checklist_validates(path: Path) -> None:
    checklist = load_checklist(path)
    assert checklist.id == path.stem and checklist.items


def test_the_seed_checklists_item_by_item() -> None:
    """The seed's three checklists, its 6 + 6 + 5 items, in its order."""
    checklists = load_all()
    assert list(checklists) == ["pre-deployment", "post-deployment", "regular-maintenance"]
    assert [len(c.items) for c in checklists.values()] == [6, 6, 5]
    titles = [i.title for i in checklists["regular-maintenance"].items]
    assert titles[:2] == ["Monthly access review", "Quarterly key rotation audit"]


def test_every_evaluator_is_used_by_a_shipped_checklist() -> None:
    used = {i.evaluator for c in load_all().values() for i in c.items if i.evaluator}
    assert used == set(EVALUATORS)


def test_periods_give_the_validity_in_days() -> None:
    assert [p.days for p in Period] == [31, 92, 366]


GOOD_ITEM = """\
  - id: one
    title: One item
    period: monthly
    guidance: What holding means here.
    citation: Seed, Checklist
"""
HEAD = "id: mine\ntitle: My list\npurpose: Mine.\nsource: our policy\nitems:\n"
BROKEN = {
    "unknown-key": (
        HEAD + GOOD_ITEM + "    colour: red\n",
        "items[0] (id one).colour: unknown key",
    ),
    "bad-period": (HEAD + GOOD_ITEM.replace("monthly", "weekly"), "items[0] (id one).period"),
    "evaluator": (HEAD + GOOD_ITEM + "    evaluator: crystal-ball\n", "unknown evaluator"),
    "duplicate": (HEAD + GOOD_ITEM + GOOD_ITEM, "items[1] (id one): duplicate item id"),
    "file-name": (HEAD.replace("id: mine", "id: other") + GOOD_ITEM, "must equal the file name"),
    "no-items": (HEAD + "  []\n", "items"),
    "not-yaml": (HEAD + "  - [unclosed\n", "not valid YAML"),
    "framework": (HEAD + GOOD_ITEM + '    controls: ["iso:A.5"]\n', "unknown framework 'iso'"),
    "control": (HEAD + GOOD_ITEM + '    controls: ["pci-dss:99.9"]\n', "has no control '99.9'"),
    "ruled": (HEAD + GOOD_ITEM + '    controls: ["pci-dss:3.7.4"]\n', "judged by rules, not by"),
    "automatic": (
        HEAD
        + GOOD_ITEM
        + "    evaluator: recent-audit-run\n"
        + '    controls: ["pci-dss:3.7.2"]\n',
        "items[0] (id one).controls: only attested items can evidence controls",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_checklists_are_refused_naming_the_place(case: str, tmp_path: Path) -> None:
    text, expected = BROKEN[case]
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ChecklistError) as caught:
        load_checklist(path)
    assert str(caught.value).startswith(str(path)) and expected in str(caught.value)


def test_a_user_folder_overrides_and_adds(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(HEAD + GOOD_ITEM, encoding="utf-8")
    override = HEAD.replace("id: mine", "id: post-deployment") + GOOD_ITEM
    (tmp_path / "post-deployment.yaml").write_text(override, encoding="utf-8")
    checklists = load_all(tmp_path)
    assert list(checklists) == ["pre-deployment", "post-deployment", "regular-maintenance", "mine"]
    assert [i.id for i in checklists["post-deployment"].items] == ["one"]
