"""Remediation texts that tell users to open an incident name a command that exists."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from toolkit.cli import cli
from toolkit.runbooks.loader import playbook_files

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [*(ROOT / "toolkit" / "rules").rglob("*.py"), *(ROOT / "report_templates").glob("*")]
COMMAND = re.compile(r"`(keyvigil incident open [^`]*)`")


def quoted_commands() -> list[str]:
    """Every ``keyvigil incident open ...`` quoted in rule and template sources."""
    found = []
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        text = re.sub(r'"\s*\n\s*"', "", text)  # implicit string concatenation across lines
        found += COMMAND.findall(text)
    return sorted(set(found))


def test_the_rules_name_incident_commands() -> None:
    assert len(quoted_commands()) >= 2


@pytest.mark.parametrize("line", quoted_commands())
def test_incident_command_in_a_remediation_parses(line: str) -> None:
    args = shlex.split(line)[1:]
    group = cli.get_command(cli.make_context("keyvigil", [], resilient_parsing=True), "incident")
    assert group is not None
    ctx = group.make_context("incident", args[1:], resilient_parsing=True)  # type: ignore[union-attr]
    command = group.get_command(ctx, args[1])  # type: ignore[union-attr]
    assert command is not None, line
    sub = command.make_context("open", args[2:])
    assert sub.params["incident_type"] in playbook_files()
    assert sub.params["key_id"] == "KEY_ID"
