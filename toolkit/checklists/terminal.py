"""Asking for attestations on a terminal, one item at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from toolkit.checklists.attestations import Answer, EvidenceFile, evidence_facts
from toolkit.checklists.model import Checklist
from toolkit.checklists.status import ItemStatus
from toolkit.errors import ChecklistError


@dataclass(frozen=True)
class TerminalAnswers:
    """Prompts the person at the terminal; ``default_by`` is offered as the attester's name."""

    default_by: str

    def collect(
        self, checklist: Checklist, needed: Sequence[ItemStatus]
    ) -> list[tuple[Answer, EvidenceFile | None]]:
        """Ask for each needed item in turn: holds?, who, a note, an optional evidence file."""
        click.echo(f"{len(needed)} item(s) of {checklist.title} need an attestation.", err=True)
        return [self._ask(checklist, status) for status in needed]

    def _ask(self, checklist: Checklist, status: ItemStatus) -> tuple[Answer, EvidenceFile | None]:
        """One item's attestation from the terminal."""
        item = status.item
        click.secho(f"\n{item.title}  [{checklist.id}/{item.id}, {item.period.value}]", bold=True)
        click.echo(f"  {item.guidance}\n  now: {status.reason}")
        holds = click.confirm("  Does this hold?", default=True)
        by = click.prompt("  Attested by (name)", default=self.default_by).strip()
        note = click.prompt("  Note (what you checked)").strip()
        evidence = self._evidence(checklist, item.id)
        path = Path(evidence.path) if evidence else None
        return Answer(item.id, holds, by, note, path), evidence

    def _evidence(self, checklist: Checklist, item_id: str) -> EvidenceFile | None:
        """An optional evidence file, asked again until it can be read or left empty."""
        while True:
            text = click.prompt("  Evidence file (empty for none)", default="", show_default=False)
            if not text.strip():
                return None
            try:
                return evidence_facts(Path(text.strip()), f"{checklist.id}/{item_id}")
            except ChecklistError as exc:
                click.echo(f"  {exc}", err=True)
