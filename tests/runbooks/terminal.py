"""Driving ``keyvigil incident run`` through a real pseudo-terminal, as a commander would."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pexpect

PROMPT = re.compile(r"([^\r\n]+): $")
MAX_PROMPTS = 300
VALUE = re.compile(r"new key value \(shown once, not stored\): (\S+)")


@dataclass
class Session:
    """A transcript of one terminal run, with every prompt seen and the value shown once."""

    transcript: str = ""
    prompts: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    exit_status: int | None = None


def spawn(args: Sequence[str], cwd: Path) -> pexpect.spawn:
    """Start keyvigil on a pseudo-terminal (wide, so prompts are not wrapped)."""
    return pexpect.spawn(
        sys.executable, ["-m", "toolkit", *args], cwd=str(cwd), encoding="utf-8",
        timeout=60, dimensions=(50, 400),
    )  # fmt: skip


Answer = str | list[str]
"""A reply, or successive replies to the same prompt (the last one repeats)."""


def answer_for(prompt: str, answers: Sequence[tuple[str, Answer]]) -> str:
    """The first answer whose pattern is found in the prompt."""
    for pattern, answer in answers:
        if re.search(pattern, prompt):
            if isinstance(answer, list):
                return answer.pop(0) if len(answer) > 1 else answer[0]
            return answer
    raise AssertionError(f"no answer for prompt {prompt!r}")


def drive(
    child: pexpect.spawn, answers: Sequence[tuple[str, Answer]], stop_after: str | None = None
) -> Session:
    """Answer every prompt until the program ends (or until ``stop_after`` has been answered)."""
    session = Session()
    while len(session.prompts) < MAX_PROMPTS:
        index = child.expect([PROMPT, pexpect.EOF])
        session.transcript += child.before + (child.after if index == 0 else "")
        if index == 1:
            child.close()
            session.exit_status = child.exitstatus
            session.values += VALUE.findall(session.transcript)
            return session
        prompt = child.match.group(1)
        session.prompts.append(prompt)
        child.sendline(answer_for(prompt, answers))
        if stop_after and re.search(stop_after, prompt):
            session.values += VALUE.findall(session.transcript)
            return session
    raise AssertionError(f"more than {MAX_PROMPTS} prompts: {session.prompts[-5:]}")
