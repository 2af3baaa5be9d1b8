"""YAML files with their line numbers: a validation error's path is mapped back to its line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML file and its node tree (for line numbers)."""

    path: Path
    data: Any
    root: yaml.Node | None


def read_yaml(path: Path) -> YamlDocument:
    """Parse ``path``; ValueError('LINE: not valid YAML') or OSError on failure."""
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ValueError(f"{mark.line + 1 if mark else 1}: not valid YAML") from None
    return YamlDocument(path, data, root)


def path_text(loc: Sequence[Any]) -> str:
    """``steps[3].items[0].text`` from a location tuple."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def line_of(root: yaml.Node | None, loc: Sequence[Any]) -> int | None:
    """The 1-based line of the node at ``loc`` (or of its nearest existing parent)."""
    node, line = root, (root.start_mark.line + 1 if root is not None else None)
    for part in loc:
        child = _child(node, part)
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def _child(node: yaml.Node | None, part: Any) -> yaml.Node | None:
    """The child of a mapping (by key) or sequence (by index) node."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                found: yaml.Node = value
                return found
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        item: yaml.Node = node.value[part]
        return item
    return None
