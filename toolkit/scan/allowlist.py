"""The ``.keyvigil-ignore`` allowlist: accepted findings by path glob or by value fingerprint.

Keyed by the value's fingerprint (not by commit or line), an entry stays valid across runs,
rewrites and repositories. Every entry names a reason and an owner.

```yaml
- fingerprint: 3f2a9c01d4e5        # at least 12 hex digits of the SHA-256 shown by the scan
  reason: documented test fixture key, never valid
  owner: platform-team
- path: tests/fixtures/**          # glob on the path under the scanned folder
  reason: recorded HTTP fixtures
  owner: qa
```
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from toolkit.errors import IngestError
from toolkit.scan.interface import Allowed, Root, ScanFinding

FILE_NAME = ".keyvigil-ignore"


class Entry(BaseModel):
    """One accepted path glob or value fingerprint, with why and who answers for it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str | None = Field(default=None, min_length=1)
    fingerprint: str | None = Field(default=None, pattern=r"^[0-9a-f]{12,64}$")
    reason: str = Field(min_length=3)
    owner: str = Field(min_length=1)

    @model_validator(mode="after")
    def _one_target(self) -> Entry:
        """Exactly one of ``path`` and ``fingerprint``."""
        if (self.path is None) == (self.fingerprint is None):
            raise ValueError("give either path or fingerprint")
        return self

    def label(self) -> str:
        """How the entry is named in reports."""
        return f"path {self.path}" if self.path else f"fingerprint {self.fingerprint}"


def load(path: Path) -> list[Entry]:
    """Read an allowlist; errors name the file, the entry and the field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except OSError as exc:
        raise IngestError(path, f"cannot read allowlist ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise IngestError(path, "not valid YAML", line=mark.line + 1 if mark else None) from None
    if not isinstance(data, list):
        raise IngestError(path, "must be a list of entries")
    entries = []
    for number, item in enumerate(data, 1):
        try:
            entries.append(Entry.model_validate(item))
        except ValidationError as exc:
            first = exc.errors(include_input=False)[0]
            field = ".".join(str(p) for p in first["loc"]) or None
            msg = "unknown field" if first["type"] == "extra_forbidden" else first["msg"]
            raise IngestError(path, msg, record=number, field=field) from None
    return entries


def for_roots(roots: tuple[Root, ...]) -> dict[str, list[Entry]]:
    """Each root's allowlist (its ``.keyvigil-ignore``, when there is one), by root label."""
    out = {}
    for root in roots:
        candidate = (root.path if root.path.is_dir() else root.path.parent) / FILE_NAME
        if candidate.is_file():
            out[root.label] = load(candidate)
    return out


def _matches(entry: Entry, finding: ScanFinding, relative: str) -> bool:
    """Whether an entry accepts a finding (``relative``: its path under the root)."""
    if entry.fingerprint:
        return finding.secret is not None and finding.secret.fingerprint.startswith(
            entry.fingerprint
        )
    return fnmatch.fnmatchcase(relative, entry.path or "")


def apply(
    findings: list[ScanFinding], lists: dict[str, list[Entry]]
) -> tuple[list[ScanFinding], list[Allowed]]:
    """Split findings into those still reported and those an allowlist accepts."""
    kept, allowed = [], []
    for finding in findings:
        entry = _entry_for(finding, lists)
        if entry is None:
            kept.append(finding)
        else:
            allowed.append(Allowed(finding, entry.reason, entry.owner, entry.label()))
    return kept, allowed


def _entry_for(finding: ScanFinding, lists: dict[str, list[Entry]]) -> Entry | None:
    """The first entry of the finding's root allowlist that accepts it."""
    for label, entries in lists.items():
        if finding.file != label and not finding.file.startswith(label.rstrip("/") + "/"):
            continue
        relative = finding.file[len(label) :].lstrip("/")
        for entry in entries:
            if _matches(entry, finding, relative):
                return entry
    return None
