"""Answers files: attestations given in advance, so ``checklist run`` needs no terminal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from toolkit.checklists.attestations import Answer, EvidenceFile, evidence_facts
from toolkit.checklists.model import Checklist, error_message, read_yaml, yaml_location
from toolkit.checklists.status import ItemStatus
from toolkit.errors import ChecklistError


class ItemAnswer(BaseModel):
    """One item's answer: does it hold, a note, optionally who says so and an evidence file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    holds: bool
    note: str = Field(min_length=3)
    by: str | None = Field(default=None, min_length=2)
    evidence: str | None = Field(default=None, min_length=1)


class AnswersFile(BaseModel):
    """An answers file: the checklist it is for, the person attesting, answers by item id."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    checklist: str | None = None
    attested_by: str | None = Field(default=None, min_length=2)
    answers: dict[str, ItemAnswer]


def load_answers(path: Path) -> AnswersFile:
    """Read and validate an answers file; errors name the file and the YAML path."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ChecklistError(f"{path}: expected a mapping at the top level")
    try:
        return AnswersFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_input=False)[0]
        raise ChecklistError(
            f"{yaml_location(path, data, first['loc'])}: {error_message(first)}"
        ) from None


@dataclass(frozen=True)
class FileAnswers:
    """Answers from a file; every item that needs one must have one, or nothing is recorded."""

    path: Path

    def collect(
        self, checklist: Checklist, needed: Sequence[ItemStatus]
    ) -> list[tuple[Answer, EvidenceFile | None]]:
        """The answers for ``needed`` items, each checked (evidence read) before any is used."""
        data = load_answers(self.path)
        _check_ids(self.path, checklist, data)
        out = []
        for status in needed:
            item = status.item
            given = data.answers.get(item.id)
            where = f"{self.path}: answers.{item.id}"
            if given is None:
                raise ChecklistError(
                    f"{where}: missing (item {item.id!r} of {checklist.id} needs an attestation: "
                    f"{status.reason})"
                )
            by = given.by or data.attested_by
            if not by:
                raise ChecklistError(f"{where}.by: missing (and no attested_by for the file)")
            evidence = self._evidence(given, where)
            answer = Answer(item.id, given.holds, by.strip(), given.note.strip(), _path(evidence))
            out.append((answer, evidence))
        return out

    def _evidence(self, given: ItemAnswer, where: str) -> EvidenceFile | None:
        """The evidence file's facts, its path taken relative to the answers file."""
        if given.evidence is None:
            return None
        return evidence_facts(self.path.parent / given.evidence, f"{where}.evidence")


def _path(evidence: EvidenceFile | None) -> Path | None:
    """The evidence file's path, if any."""
    return Path(evidence.path) if evidence is not None else None


def _check_ids(path: Path, checklist: Checklist, data: AnswersFile) -> None:
    """The file is for this checklist and names only its attested items."""
    if data.checklist is not None and data.checklist != checklist.id:
        raise ChecklistError(
            f"{path}: checklist: this file answers {data.checklist!r}, not {checklist.id!r}"
        )
    known = {item.id: item for item in checklist.items}
    for item_id in data.answers:
        item: Any = known.get(item_id)
        if item is None:
            raise ChecklistError(
                f"{path}: answers.{item_id}: no such item in {checklist.id} "
                f"(items: {', '.join(known)})"
            )
        if item.automatic:
            raise ChecklistError(
                f"{path}: answers.{item_id}: judged automatically from evidence; it cannot be "
                "attested"
            )
