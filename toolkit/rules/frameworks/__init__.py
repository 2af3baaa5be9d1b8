"""Framework mappings as data: one YAML file per framework, control id -> rule ids."""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from toolkit.errors import FrameworkError
from toolkit.rules.catalogue import RULES

QUOTED = re.compile(r'"[^"]{12,}"')
"""A quotation of the requirement's own words: at least a dozen characters in double quotes."""

FRAMEWORK_DIR = Path(__file__).parent
"""Where the shipped framework files live (``<id>.yaml``)."""


class Control(BaseModel):
    """One control (criterion, requirement, article) and the rules that evidence it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    title: str = Field(min_length=3)
    statement: str = Field(min_length=10, description="one line in our own words")
    citation: str = Field(min_length=3)
    rules: tuple[str, ...] = Field(default=(), description="empty: a manual control")
    rationale: str | None = Field(
        default=None,
        description="why the rules evidence it, quoting the requirement's own words in double "
        "quotes (required when rules are mapped)",
    )
    covers: Literal["whole", "part"] = Field(
        default="part",
        description="whole: the rules, run over their full population, test everything the "
        "requirement asks; part: they test only some of it (the control cannot hold on them)",
    )
    scope: Literal["all-keys", "cardholder-data"] = Field(
        default="all-keys",
        description="cardholder-data: only keys the inventory marks cardholder_data count",
    )
    thresholds: dict[str, int | float] = Field(default_factory=dict)
    organisation_choice: str | None = None

    @field_validator("statement")
    @classmethod
    def _one_line(cls, value: str) -> str:
        """A statement is a single line."""
        if "\n" in value.strip():
            raise ValueError("must be one line")
        return value.strip()

    @model_validator(mode="after")
    def _rationale_quotes_requirement(self) -> Control:
        """A mapped control says why, in the requirement's quoted words; a manual one cannot
        claim to be covered whole."""
        if self.rules and not QUOTED.search(self.rationale or ""):
            raise ValueError("rationale: a control with rules needs one quoting the requirement")
        if not self.rules and (self.covers == "whole" or self.rationale):
            raise ValueError("a control without rules has no rationale and no 'covers: whole'")
        return self

    @property
    def manual(self) -> bool:
        """True when no rule can evaluate this control."""
        return not self.rules


class Framework(BaseModel):
    """A framework file: its identity and the whole relevant catalogue of controls."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=2)
    version: str = Field(min_length=1)
    source: str = Field(min_length=3)
    controls: tuple[Control, ...] = Field(min_length=1)

    def control(self, control_id: str) -> Control:
        """The control with this id (KeyError when absent)."""
        for control in self.controls:
            if control.id == control_id:
                return control
        raise KeyError(control_id)

    def rule_ids(self) -> set[str]:
        """Every rule id any control of this framework names."""
        return {rule for control in self.controls for rule in control.rules}


def _location(path: Path, data: Any, loc: tuple[Any, ...]) -> str:
    """A YAML path like ``controls[3] (id 8.2.6).rules`` for an error location."""
    text = ""
    node = data
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


def _known_rule_ids() -> set[str]:
    """Every rule id in the catalogue registry."""
    return set(RULES)


def _check_content(path: Path, framework: Framework, known: Collection[str]) -> None:
    """id == file stem, control ids unique, every rule id in the catalogue."""
    if framework.id != path.stem:
        raise FrameworkError(f"{path}: id: {framework.id!r} must equal the file name {path.stem!r}")
    seen: set[str] = set()
    for index, control in enumerate(framework.controls):
        where = f"{path}: controls[{index}] (id {control.id})"
        if control.id in seen:
            raise FrameworkError(f"{where}: duplicate control id")
        seen.add(control.id)
        for rule in control.rules:
            if rule not in known:
                raise FrameworkError(f"{where}.rules: unknown rule id {rule!r}")
        if len(set(control.rules)) != len(control.rules):
            raise FrameworkError(f"{where}.rules: a rule is listed twice")


def load_framework(path: Path, known_rules: Collection[str] | None = None) -> Framework:
    """Read and validate one framework file; errors name the file and the YAML path."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FrameworkError(f"{path}: cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise FrameworkError(f"{path}{line}: not valid YAML") from None
    if not isinstance(data, dict):
        raise FrameworkError(f"{path}: expected a mapping at the top level")
    try:
        framework = Framework.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise FrameworkError(f"{_location(path, data, first['loc'])}: {first['msg']}") from None
    known = _known_rule_ids() if known_rules is None else known_rules
    _check_content(path, framework, known)
    return framework


def framework_files(directory: Path = FRAMEWORK_DIR) -> list[Path]:
    """Every framework file in ``directory``, sorted by name."""
    return sorted(directory.glob("*.yaml"))


@cache
def frameworks() -> dict[str, Framework]:
    """Every shipped framework, by id (loaded and validated once per process)."""
    return {path.stem: load_framework(path) for path in framework_files()}


DEFAULT_ORDER = ("soc2", "pci-dss", "gdpr", "hipaa")
"""The order frameworks are reported in when the user does not choose."""


def select(ids: Collection[str] | None) -> list[Framework]:
    """The frameworks named (all of them when ``ids`` is empty), in the order given."""
    available = frameworks()
    if not ids:
        ordered = [i for i in DEFAULT_ORDER if i in available]
        ids = ordered + sorted(set(available) - set(ordered))
    unknown = [i for i in ids if i not in available]
    if unknown:
        choices = ", ".join(sorted(available))
        raise FrameworkError(
            f"--frameworks: unknown framework {unknown[0]!r} (choose from {choices})"
        )
    return [available[i] for i in dict.fromkeys(ids)]
