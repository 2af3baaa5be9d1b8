"""The scan-results format: what a scan found, as ``audit run --scan FILE`` reads it.

Never a secret value: a secret is its SHA-256 fingerprint (how ``inventoried-key-exposed``
recognises an inventoried key), its length and a preview of at most four characters. ``scanned``
says what the scan read; a scan rule whose evidence the scan did not read is not evaluated.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from toolkit.errors import IngestError

SCHEMA = "keyvigil.scan-results/1"


class ScanItem(BaseModel):
    """One thing a scan found; never a secret value, only its fingerprint."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["secret", "env-file", "permissions"]
    file: str = Field(min_length=1, description="path as scanned (relative to the scan root)")
    line: int | None = Field(default=None, ge=1, description="line of a secret")
    location: Literal["code", "logs"] = Field(
        default="code", description="secret found in source/config files or in log files"
    )
    fingerprint: str | None = Field(
        default=None, pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the secret found"
    )
    detector: str | None = Field(default=None, description="which pattern matched (aws-key...)")
    ignored: bool | None = Field(default=None, description="env-file: version control ignores it")
    values: int | None = Field(default=None, ge=0, description="env-file: variables with a value")
    mode: str | None = Field(default=None, pattern=r"^0?[0-7]{3,4}$", description="octal mode")
    column: int | None = Field(default=None, ge=1, description="column of a secret")
    length: int | None = Field(default=None, ge=0, description="length of the secret")
    preview: str | None = Field(default=None, max_length=5, description="at most 4 chars and …")
    commit: str | None = Field(default=None, pattern=r"^[0-9a-f]{7,64}$", description="introduced")
    introduced: str | None = Field(default=None, description="author date of that commit")
    at_head: bool | None = Field(default=None, description="the secret is still there at HEAD")
    key_id: str | None = Field(default=None, description="inventoried key the secret belongs to")
    tracked: bool | None = Field(default=None, description="env-file: tracked by git")
    template: bool | None = Field(default=None, description="env-file: an .env.example")

    @property
    def where(self) -> str:
        """``file:line`` (or just the file)."""
        return f"{self.file}:{self.line}" if self.line else self.file


class Scanned(BaseModel):
    """What the scan read: the evidence behind a scan rule that holds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    files: int = Field(ge=0, description="source and config files read")
    log_files: int = Field(default=0, ge=0, description="log files read")
    commits: int = Field(default=0, ge=0, description="commits whose changes were read")
    env_roots: int = Field(default=0, ge=0, description="folders searched for .env files")
    config_files: int = Field(default=0, ge=0, description="credential/config files checked")
    inventory_fingerprints: int = Field(default=0, ge=0, description="fingerprints looked for")
    skipped: int = Field(default=0, ge=0, description="files not read (binary, too large...)")


class ScanResults(BaseModel):
    """A scan's findings, as passed to ``audit run --scan FILE``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_: str = Field(default=SCHEMA, alias="schema")
    roots: tuple[str, ...] = Field(default=(), description="folders/files that were scanned")
    findings: tuple[ScanItem, ...] = ()
    scanned: Scanned | None = Field(
        default=None, description="what the scan read (absent: a hand-written file, taken as is)"
    )
    tool: str | None = Field(default=None, description="scanner and engine versions")

    def of_kind(self, kind: str, location: str | None = None) -> list[ScanItem]:
        """The items of one kind (and, for secrets, one location), in file/line order."""
        items = [i for i in self.findings if i.kind == kind]
        if location is not None:
            items = [i for i in items if i.location == location]
        return sorted(items, key=lambda i: (i.file, i.line or 0))


def load_scan_results(path: Path | str) -> ScanResults:
    """Read and validate a scan-results JSON file; errors name the file, record and field."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise IngestError(path, f"cannot read scan results ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise IngestError(path, "not valid JSON", line=exc.lineno) from None
    try:
        return ScanResults.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_input=False)[0]
        loc = [str(p) for p in first["loc"]]
        record = int(loc[1]) + 1 if len(loc) > 1 and loc[0] == "findings" else None
        field = ".".join(loc[2:] if record else loc) or None
        msg = "unknown field" if first["type"] == "extra_forbidden" else first["msg"]
        raise IngestError(path, msg, record=record, field=field) from None
