"""The commander's terminal: prompts with defaults, ``?`` for guidance, ``skip`` to skip."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from toolkit.runbooks.steps import SkipRequested

HELP = "?"
SKIP = "skip"


class TerminalPrompter:
    """Prompts through click; a ValueError from a check is shown and the question asked again."""

    def __init__(self) -> None:
        """No guidance until a step sets it."""
        self.guidance = ""

    def set_guidance(self, text: str) -> None:
        """What ``?`` shows while the current step runs."""
        self.guidance = text.strip() or "No further guidance for this step."

    def show(self, text: str) -> None:
        """Print a line for the commander."""
        click.echo(text)

    def _read(self, prompt: str, default: str | None) -> str:
        """One line; ``?`` prints the guidance and asks again; ``skip`` asks to skip the step."""
        while True:
            text: str = click.prompt(
                prompt, default=default or "", show_default=bool(default), type=str
            )
            stripped = text.strip()
            if stripped == HELP:
                click.echo(self.guidance)
                continue
            if stripped.lower() == SKIP:
                raise SkipRequested()
            return stripped

    def ask(
        self, prompt: str, *, default: str | None = None, check: Callable[[str], Any] | None = None
    ) -> Any:
        """Ask until ``check`` accepts the answer."""
        while True:
            text = self._read(prompt, default)
            if check is None:
                return text
            try:
                return check(text)
            except ValueError as exc:
                click.echo(f"  {exc}")

    def confirm(self, prompt: str, *, default: bool = True) -> bool:
        """yes/no; Enter takes the default."""
        hint = "Y/n" if default else "y/N"
        while True:
            text = self._read(f"{prompt} [{hint}]", "").lower()
            if not text:
                return default
            if text in ("y", "yes"):
                return True
            if text in ("n", "no"):
                return False
            click.echo("  answer y or n (? for guidance, skip to skip the step)")
