"""The scan-results input of the scan rules: a JSON file of what a secret scan found."""

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

    @property
    def where(self) -> str:
        """``file:line`` (or just the file)."""
        return f"{self.file}:{self.line}" if self.line else self.file


class ScanResults(BaseModel):
    """A scan's findings, as passed to ``audit run --scan FILE``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_: str = Field(default=SCHEMA, alias="schema")
    roots: tuple[str, ...] = Field(default=(), description="folders/files that were scanned")
    findings: tuple[ScanItem, ...] = ()

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
