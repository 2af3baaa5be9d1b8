"""The README documents every command, and every command it shows exists and parses."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from toolkit.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def command_paths(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every visible leaf command, as its words after ``keyvigil``."""
    paths = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        if command.hidden:
            continue
        if isinstance(command, click.Group):
            paths += command_paths(command, (*prefix, name))
        else:
            paths.append((*prefix, name))
    return paths


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_every_command_is_in_the_readme(path: tuple[str, ...]) -> None:
    assert f"keyvigil {' '.join(path)}" in README


def readme_examples() -> list[str]:
    """Command lines in the README's shell blocks (continuations joined)."""
    blocks = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
    lines = []
    for block in blocks:
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith("keyvigil "):
                lines.append(line)
    return lines


@pytest.mark.parametrize("line", readme_examples())
def test_readme_examples_parse(line: str) -> None:
    """Each example names a real command and only options that command accepts."""
    args = shlex.split(line)[1:]
    ctx = cli.make_context("keyvigil", list(args), resilient_parsing=True)
    command: click.Command = cli
    words = list(args)
    while isinstance(command, click.Group):
        names = [w for w in words if not w.startswith("-")]
        assert names, line
        sub = command.get_command(ctx, names[0])
        assert sub is not None, f"unknown command in README: {line}"
        words = words[words.index(names[0]) + 1 :]
        command = sub
    options = {o for p in command.params for o in getattr(p, "opts", [])}
    for word in words:
        if word.startswith("--"):
            assert word.split("=")[0] in options, f"{word} not an option of: {line}"


def test_docs_linked_from_readme_exist() -> None:
    for target in re.findall(r"\]\((docs/[^)#]+)", README):
        assert (ROOT / target).is_file(), target
