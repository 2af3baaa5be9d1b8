"""Hygiene check: ``.env`` files version control would pick up, and their ``.env.example``.

The seed: use ``.env`` files with values that are not committed, add ``.env`` to ``.gitignore``,
and document the variables in a committed ``.env.example`` that holds placeholders only.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from toolkit.scan import git
from toolkit.scan.files import SKIP_FOLDERS
from toolkit.scan.interface import CheckResult, EnvFile, Root, ScanOptions
from toolkit.scan.reader import read_text

TEMPLATE_SUFFIXES = (".example", ".sample", ".template", ".dist", ".tmpl")
ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*$")
SECRET_NAME = re.compile(r"(?i)key|secret|token|passw|pwd|credential|private|auth|dsn|conn")
PLACEHOLDER = re.compile(
    r"(?i)^\$\{?\w|^<.*>$|your|example|change.?me|placeholder|xxx|\*\*\*|todo|replace|dummy"
    r"|sample|fake|redacted|not.?set|here$"
)
MIN_REAL = 8
"""A template value shorter than this is not taken for a real secret."""


def is_env_file(name: str) -> bool:
    """``.env``, ``.env.local``, ``prod.env``, ``.env.example``..."""
    return name == ".env" or name.startswith(".env.") or name.endswith(".env")


def is_template(name: str) -> bool:
    """A file documenting the variables (``.env.example`` and the like)."""
    return name.endswith(TEMPLATE_SUFFIXES)


def _value(raw: str) -> str:
    """The assigned value without quotes or a trailing comment."""
    if raw[:1] in "'\"" and raw[-1:] == raw[:1] and len(raw) > 1:
        return raw[1:-1]
    return raw.split(" #", 1)[0].strip()


def count_values(text: str, template: bool) -> int:
    """Variables with a value; in a template only secret-named ones with real-looking values."""
    count = 0
    for line in text.splitlines():
        found = ASSIGNMENT.match(line)
        if not found:
            continue
        name, value = found.group(1), _value(found.group(2))
        if not value:
            continue
        if template:
            real = len(value) >= MIN_REAL and not PLACEHOLDER.search(value)
            count += bool(SECRET_NAME.search(name) and real)
        else:
            count += 1
    return count


def env_paths(root: Root) -> Iterator[Path]:
    """Every ``.env``-style file under the root, ignored ones included."""
    if not root.path.is_dir():
        if is_env_file(root.path.name):
            yield root.path
        return
    for dirpath, dirnames, filenames in os.walk(root.path):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_FOLDERS)
        yield from (Path(dirpath, f) for f in sorted(filenames) if is_env_file(f))


def _observe_root(root: Root, options: ScanOptions) -> tuple[list[EnvFile], list[str]]:
    """The env files of one root and, in a repository, the folders lacking a template."""
    paths = [p for p in env_paths(root) if not p.is_symlink() and p.is_file()]
    tracked = git.tracked(root.repo, paths) if root.repo else set()
    ignored = git.ignored(root.repo, paths) if root.repo else set()
    seen, notices = [], []
    for path in paths:
        text, _ = read_text(str(path), options.max_bytes)
        template = is_template(path.name)
        in_git = root.repo is not None
        seen.append(
            EnvFile(
                file=root.name(path),
                ignored=(path in ignored and path not in tracked) if in_git else None,
                tracked=(path in tracked) if in_git else None,
                values=count_values(text, template) if text is not None else None,
                template=template,
            )
        )
    folders = {p.parent for p in paths if not is_template(p.name)} if root.repo else set()
    for folder in sorted(folders):
        if not any(p.parent == folder and is_template(p.name) for p in paths):
            place = root.name(folder / ".env.example")
            notices.append(f"{place}: missing; document the variables .env files need there")
    return seen, notices


class EnvFiles:
    """``.env`` files with values that version control would pick up."""

    name = "env-files"

    def observe(self, roots: tuple[Root, ...], options: ScanOptions) -> CheckResult:
        """Look at every env file under the roots."""
        files: list[EnvFile] = []
        notices: list[str] = []
        for root in roots:
            seen, missing = _observe_root(root, options)
            files.extend(seen)
            notices.extend(missing)
        return CheckResult(env_files=tuple(files), env_roots=len(roots), notices=tuple(notices))


CHECK = EnvFiles()
