"""Reading playbooks: pydantic for the shape, then the checks a schema cannot make.

Every problem is reported as ``FILE:LINE: YAML.PATH: what is wrong``; a playbook with any
problem is refused whole.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from toolkit.content import content_dir
from toolkit.errors import PlaybookError
from toolkit.runbooks import checks
from toolkit.runbooks.schema import Playbook
from toolkit.runbooks.yamlpath import YamlDocument, line_of, path_text, read_yaml

ENV_PLAYBOOKS = "KEYVIGIL_PLAYBOOKS"
"""A folder of the user's own playbooks, tried before the shipped ones."""


class PlaybookProblems(PlaybookError):
    """A playbook with one or more problems, each naming the file, line and YAML path."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)


@dataclass(frozen=True)
class LoadedPlaybook:
    """A valid playbook with the file it came from and that file's SHA-256."""

    playbook: Playbook
    path: Path
    sha256: str


def playbook_dirs(user: Path | None = None) -> list[Path]:
    """Where playbooks are looked for: the user's folder (or KEYVIGIL_PLAYBOOKS), then built-ins."""
    folders = []
    chosen = user or (Path(os.environ[ENV_PLAYBOOKS]) if os.environ.get(ENV_PLAYBOOKS) else None)
    if chosen is not None:
        if not chosen.is_dir():
            raise PlaybookError(f"{chosen}: playbook folder not found")
        folders.append(chosen)
    folders.append(content_dir("playbooks"))
    return folders


def playbook_files(user: Path | None = None) -> dict[str, Path]:
    """Playbook id -> file; a user's file overrides a built-in one of the same id."""
    found: dict[str, Path] = {}
    for folder in reversed(playbook_dirs(user)):
        for path in sorted(folder.glob("*.yaml")):
            found[path.stem] = path
    return dict(sorted(found.items()))


def _problem(doc: YamlDocument, loc: Sequence[Any], message: str) -> str:
    """``file:line: path: message``."""
    line = line_of(doc.root, loc)
    where = f"{doc.path}:{line}" if line else str(doc.path)
    return f"{where}: {path_text(loc)}: {message}"


def _shape_problems(doc: YamlDocument, exc: ValidationError) -> list[str]:
    """pydantic's errors as located problems (the step type tag is left out of the path)."""
    out = []
    errors = exc.errors(include_input=False)
    deeper = [tuple(e["loc"]) for e in errors]
    for error in errors:
        loc = list(error["loc"])
        here = tuple(loc)
        if error["type"] == "too_short" and any(
            o[: len(here)] == here and o != here for o in deeper
        ):
            continue  # an empty list only because its item was invalid: the item says why
        if len(loc) > 2 and loc[0] == "steps" and loc[2] in checks.STEP_TYPES:
            del loc[2]
        kind = error["type"]
        message = "unknown key" if kind == "extra_forbidden" else error["msg"]
        if kind == "union_tag_invalid":
            message = f"unknown step type (known: {', '.join(checks.STEP_TYPES)})"
            loc = [*loc, "type"]
        out.append(_problem(doc, loc, message))
    return out


def parse_playbook(doc: YamlDocument, known: Iterable[str] = ()) -> Playbook:
    """Validate a parsed file; PlaybookProblems lists every problem found."""
    if not isinstance(doc.data, dict):
        raise PlaybookProblems([f"{doc.path}:1: (top level): a playbook is a mapping"])
    try:
        playbook = Playbook.model_validate(doc.data)
    except ValidationError as exc:
        raise PlaybookProblems(_shape_problems(doc, exc)) from None
    problems = [
        _problem(doc, loc, message)
        for loc, message in checks.problems(playbook, doc.path.stem, set(known))
    ]
    if problems:
        raise PlaybookProblems(problems)
    return playbook


def load_playbook(path: Path, user: Path | None = None) -> LoadedPlaybook:
    """Read and validate one playbook file (includes are checked against the library)."""
    try:
        doc = read_yaml(path)
        data = path.read_bytes()
    except OSError as exc:
        raise PlaybookError(f"{path}: cannot read playbook ({exc.strerror})") from None
    except ValueError as exc:
        raise PlaybookError(f"{path}:{exc}") from None
    known = set(playbook_files(user)) | {path.stem}
    playbook = parse_playbook(doc, known)
    return LoadedPlaybook(playbook, path, hashlib.sha256(data).hexdigest())


def find_playbook(playbook_id: str, user: Path | None = None) -> LoadedPlaybook:
    """The playbook with this id from the library."""
    files = playbook_files(user)
    if playbook_id not in files:
        known = ", ".join(files) or "none"
        raise PlaybookError(f"playbook {playbook_id!r}: not found (known: {known})")
    return load_playbook(files[playbook_id], user)


def playbook_for_type(incident_type: str, user: Path | None = None) -> LoadedPlaybook:
    """The playbook whose id or incident types name ``incident_type``."""
    files = playbook_files(user)
    if incident_type in files:
        return load_playbook(files[incident_type], user)
    for path in files.values():
        loaded = load_playbook(path, user)
        if incident_type in loaded.playbook.incident_types:
            return loaded
    types = ", ".join(files)
    raise PlaybookError(f"incident type {incident_type!r}: no playbook handles it (known: {types})")
