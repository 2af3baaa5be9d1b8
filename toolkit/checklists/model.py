"""Checklists as data: one YAML file per checklist, validated when loaded; a user folder may
override or add files."""

from __future__ import annotations

import stat
from collections.abc import Collection
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from toolkit.checklists.evaluators import EVALUATORS
from toolkit.errors import ChecklistError
from toolkit.rules.frameworks import frameworks

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
"""Where the shipped checklists live (``<id>.yaml``)."""

ENV_CHECKLISTS = "KEYVIGIL_CHECKLISTS"
"""A folder of the user's own checklist files, tried before the shipped ones."""


class Period(StrEnum):
    """How often an item must be re-confirmed; an attestation is valid this long."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"

    @property
    def days(self) -> int:
        """Validity in days: monthly 31, quarterly 92, annual 366."""
        return {"monthly": 31, "quarterly": 92, "annual": 366}[self.value]

    @property
    def validity(self) -> timedelta:
        """Validity as a span of time."""
        return timedelta(days=self.days)


class Item(BaseModel):
    """One checklist item: satisfied by an evaluator's evidence, or else by an attestation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=3)
    period: Period
    guidance: str = Field(min_length=10, description="what holding means, for the attester")
    citation: str = Field(min_length=3, description="where in the seed policy it comes from")
    evaluator: str | None = Field(default=None, description="absent: satisfied by attestation")
    controls: tuple[str, ...] = Field(
        default=(), description="manual framework controls an attestation evidences: fw:id"
    )

    @property
    def automatic(self) -> bool:
        """True when the tool judges the item from evidence it holds."""
        return self.evaluator is not None


class Checklist(BaseModel):
    """A checklist file: identity, purpose and its items in order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=3)
    purpose: str = Field(min_length=3)
    source: str = Field(min_length=3)
    items: tuple[Item, ...] = Field(min_length=1)

    def item(self, item_id: str) -> Item:
        """The item with this id (KeyError when absent)."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


def yaml_location(path: Path, data: Any, loc: tuple[Any, ...]) -> str:
    """A YAML path like ``items[2] (id rotation-schedule-defined).period``."""
    text, node = "", data
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and "id" in node:
                text += f" (id {node['id']})"
        else:
            text += f".{part}" if text else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return f"{path}: {text or '<top>'}"


def error_message(error: Any) -> str:
    """A pydantic error as words, never echoing the value."""
    return "unknown key" if error["type"] == "extra_forbidden" else str(error["msg"])


def read_yaml(path: Path) -> Any:
    """The YAML data of ``path``, or ChecklistError naming the file (and line).

    Only a regular file is opened: a FIFO or device would block or never end.
    """
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise ChecklistError(f"{path}: not a regular file")
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ChecklistError(f"{path}: cannot read: {exc.strerror}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise ChecklistError(f"{path}{line}: not valid YAML") from None


def _check_content(path: Path, checklist: Checklist, evaluators: Collection[str]) -> None:
    """id == file stem, item ids unique, every evaluator registered."""
    if checklist.id != path.stem:
        raise ChecklistError(f"{path}: id: {checklist.id!r} must equal the file name {path.stem!r}")
    seen: set[str] = set()
    for index, item in enumerate(checklist.items):
        where = f"{path}: items[{index}] (id {item.id})"
        if item.id in seen:
            raise ChecklistError(f"{where}: duplicate item id")
        seen.add(item.id)
        if item.evaluator is not None and item.evaluator not in evaluators:
            raise ChecklistError(
                f"{where}.evaluator: unknown evaluator {item.evaluator!r} "
                f"(known: {', '.join(sorted(evaluators))})"
            )
        _check_controls(where, item)


def _check_controls(where: str, item: Item) -> None:
    """Each ``framework:control`` names a manual control; only attested items may name any."""
    if item.controls and item.automatic:
        raise ChecklistError(f"{where}.controls: only attested items can evidence controls")
    known = frameworks()
    for index, ref in enumerate(item.controls):
        framework_id, _, control_id = ref.partition(":")
        if framework_id not in known:
            raise ChecklistError(f"{where}.controls[{index}]: unknown framework {framework_id!r}")
        try:
            control = known[framework_id].control(control_id)
        except KeyError:
            raise ChecklistError(
                f"{where}.controls[{index}]: {framework_id} has no control {control_id!r}"
            ) from None
        if not control.manual:
            raise ChecklistError(
                f"{where}.controls[{index}]: {ref} is judged by rules, not by attestation"
            )


def load_checklist(path: Path, evaluators: Collection[str] | None = None) -> Checklist:
    """Read and validate one checklist file; errors name the file and the YAML path."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ChecklistError(f"{path}: expected a mapping at the top level")
    try:
        checklist = Checklist.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_input=False)[0]
        raise ChecklistError(
            f"{yaml_location(path, data, first['loc'])}: {error_message(first)}"
        ) from None
    if evaluators is None:
        evaluators = set(EVALUATORS)
    _check_content(path, checklist, evaluators)
    return checklist


def checklist_files(user_dir: Path | None = None) -> dict[str, Path]:
    """Checklist id -> file: the shipped ones, overridden or extended by ``user_dir``'s."""
    files = {path.stem: path for path in sorted(DEFINITIONS_DIR.glob("*.yaml"))}
    if user_dir is not None:
        if not user_dir.is_dir():
            raise ChecklistError(f"{user_dir}: checklist folder: not a folder")
        files.update({path.stem: path for path in sorted(user_dir.glob("*.yaml"))})
    return files


def load_all(user_dir: Path | None = None) -> dict[str, Checklist]:
    """Every checklist by id, shipped order first (pre-, post-deployment, maintenance)."""
    files = checklist_files(user_dir)
    ordered = [i for i in SHIPPED_ORDER if i in files] + sorted(set(files) - set(SHIPPED_ORDER))
    return {cid: load_checklist(files[cid]) for cid in ordered}


SHIPPED_ORDER = ("pre-deployment", "post-deployment", "regular-maintenance")
"""The seed's order of its three checklists."""


def select_checklists(name: str, user_dir: Path | None = None) -> list[Checklist]:
    """The checklist called ``name``, or every checklist for ``all``."""
    available = load_all(user_dir)
    if name == "all":
        return list(available.values())
    if name not in available:
        raise ChecklistError(
            f"NAME: unknown checklist {name!r} (known: {', '.join(available)}, or all)"
        )
    return [available[name]]
