"""Answers files for non-interactive runs: one entry per step id, validated on load."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from toolkit.errors import IncidentError
from toolkit.timeutil import parse_timestamp


class Attachment(BaseModel):
    """A file to add as evidence, with a note."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str
    note: str | None = None


class StepAnswer(BaseModel):
    """What the commander answered at one step; which fields apply depends on the step type."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    at: datetime | None = Field(default=None, description="when it was done (back-filling)")
    by: str | None = Field(default=None, description="who did it (default: --actor)")
    note: str | None = None
    skip: str | None = Field(default=None, description="skip the step, for this reason")
    ack: bool | None = None
    items: dict[str, bool] | None = None
    answers: dict[str, Any] | None = None
    confirm: bool | None = None
    out: str | None = Field(default=None, description="file for a new key value (mode 0600)")
    files: tuple[Attachment, ...] = ()
    recipient: str | None = None
    reference: str | None = None
    sent_at: datetime | None = None
    late_reason: str | None = None

    @field_validator("at", "sent_at", mode="before")
    @classmethod
    def _aware(cls, value: Any) -> Any:
        """Times must carry a zone (or be a bare date, read as UTC midnight)."""
        if value is None:
            return None
        return parse_timestamp(value)


class AnswersFile(BaseModel):
    """The whole file: answers by step key (``escalate/revoke`` for included steps)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    steps: dict[str, StepAnswer]


def load_answers(path: Path) -> AnswersFile:
    """Read and validate an answers file; errors name the file and the step."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise IncidentError(f"{path}: cannot read answers file ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise IncidentError(f"{path}:{mark.line + 1 if mark else 1}: not valid YAML") from None
    try:
        return AnswersFile.model_validate(data if data is not None else {})
    except ValidationError as exc:
        first = exc.errors(include_input=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        reason = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
        raise IncidentError(f"{path}: {where}: {reason}") from None
