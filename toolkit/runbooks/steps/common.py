"""Helpers every step handler shares: missing answers, evidence files, templated parameters."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from toolkit.errors import IncidentError
from toolkit.runbooks.steps.interface import StepContext

_TEMPLATE = re.compile(r"\{\{\s*(.+?)\s*\}\}")


def missing(ctx: StepContext, what: str) -> IncidentError:
    """The error for a required answer the answers file lacks: names the file and the step."""
    return IncidentError(f"{ctx.source}: steps.{ctx.flat.key}: {what}: missing (required)")


def invalid(ctx: StepContext, what: str, reason: str) -> IncidentError:
    """The error for an answer that does not fit."""
    return IncidentError(f"{ctx.source}: steps.{ctx.flat.key}: {what}: {reason}")


def render(ctx: StepContext, params: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters with ``{{ expression }}`` replaced by the expression's value."""

    def fill(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        whole = _TEMPLATE.fullmatch(value.strip())
        if whole:
            return _plain(ctx.evaluate(whole.group(1)).value)
        return _TEMPLATE.sub(lambda m: str(_plain(ctx.evaluate(m.group(1)).value)), value)

    return {name: fill(value) for name, value in params.items()}


def _plain(value: Any) -> Any:
    """Missing values become None (shown empty)."""
    return None if type(value).__name__ == "Missing" else value


def collect_files(
    ctx: StepContext, minimum: int, prompt: str
) -> tuple[tuple[Path, str | None], ...]:
    """Evidence files from the answers file or asked one by one; at least ``minimum``."""
    if not ctx.interactive:
        files = tuple(
            (Path(item.path), item.note) for item in (ctx.answer.files if ctx.answer else ())
        )
        if len(files) < minimum:
            raise missing(ctx, f"files (at least {minimum})")
        for path, _note in files:
            if not path.is_file():
                raise invalid(ctx, "files", f"{path}: no such file")
        return files
    assert ctx.prompter is not None
    found: list[tuple[Path, str | None]] = []
    while True:
        need = len(found) < minimum
        label = f"{prompt} (file path{'' if need else '; Enter when done'})"
        text = ctx.prompter.ask(label, check=partial(_existing_file, required=need))
        if text is None:
            return tuple(found)
        note = ctx.prompter.ask("  note for this file", default="")
        found.append((text, note or None))


def _existing_file(text: str, required: bool) -> Path | None:
    """A path that exists, or None for an empty answer when not required."""
    if not text.strip():
        if required:
            raise ValueError("a file is required")
        return None
    path = Path(text.strip()).expanduser()
    if not path.is_file():
        raise ValueError(f"{path}: no such file")
    return path
