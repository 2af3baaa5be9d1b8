"""``keyvigil checklist``: list the checklists, run one (attesting what is due), report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from toolkit.checklists import (
    ChecklistStatus,
    FileAnswers,
    ReportRequest,
    RunRequest,
    evaluate_all,
    report_checklists,
    run_checklist,
)
from toolkit.checklists.evaluators.interface import EvidenceContext
from toolkit.checklists.model import ENV_CHECKLISTS, load_all, select_checklists
from toolkit.checklists.records import checklist_record
from toolkit.checklists.run import AnswerSource, NoAnswers
from toolkit.checklists.status import LABELS
from toolkit.checklists.terminal import TerminalAnswers
from toolkit.cli.context import AppContext
from toolkit.cli.options import app, global_options
from toolkit.cli.output import note, print_json, print_table
from toolkit.errors import ChecklistError
from toolkit.rules.policy import load_policy

checklists_option = click.option(
    "--checklists",
    "user_dir",
    metavar="DIR",
    envvar=ENV_CHECKLISTS,
    type=click.Path(file_okay=False, path_type=Path),
    help=f"Folder of your own checklist files, tried before the shipped ones ({ENV_CHECKLISTS}).",
)


def _interactive() -> bool:
    """True when a person can be asked on this terminal."""
    return sys.stdin.isatty() and sys.stderr.isatty()


def _statuses(state: AppContext, user_dir: Path | None) -> list[ChecklistStatus]:
    """Every checklist's status at the as-of time."""
    checklists = list(load_all(user_dir).values())
    with state.store().session() as session:
        ctx = EvidenceContext(session, load_policy(state.policy_path()), state.clock())
        return evaluate_all(checklists, ctx)


@click.group("checklist")
def command() -> None:
    """The seed's checklists: evaluate, attest and report for managers to sign."""


@command.command("list")
@checklists_option
@global_options
@click.pass_context
def list_cmd(ctx: click.Context, user_dir: Path | None) -> None:
    """Every checklist with how many items hold, fail, are attested, expired or unassessed.

    Example: keyvigil checklist list --as-of 2026-10-01
    """
    state = app(ctx)
    statuses = _statuses(state, user_dir)
    if state.json:
        print_json([checklist_record(s) for s in statuses])
        return
    states = list(LABELS)
    rows: list[list[Any]] = [
        [s.checklist.id, s.checklist.title, len(s.items), *(s.counts()[x.value] for x in states)]
        for s in statuses
    ]
    print_table(["name", "title", "items", *(x.value for x in states)], rows)


def _source(answers: Path | None, actor: str) -> AnswerSource:
    """The answers file when given, else the terminal, else nothing to ask."""
    if answers is not None:
        return FileAnswers(answers)
    return TerminalAnswers(actor) if _interactive() else NoAnswers()


def _print_status(status: ChecklistStatus) -> None:
    """One line per item: state and reason."""
    print_table(
        ["item", "state", "reason"],
        [[i.item.id, LABELS[i.state], i.reason] for i in status.items],
        wrap=("reason",),
    )


@command.command("run")
@click.argument("name")
@click.option(
    "--answers",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="YAML answers for the items that need an attestation (no questions asked).",
)
@checklists_option
@global_options
@click.pass_context
def run_cmd(ctx: click.Context, name: str, answers: Path | None, user_dir: Path | None) -> None:
    """Evaluate checklist NAME, then record the attestations that are missing or expired.

    On a terminal each such item is asked for (holds?, who, a note, an optional evidence
    file); with --answers FILE they come from the file, and an item without an answer is an
    error that records nothing.

    Example: keyvigil checklist run pre-deployment --answers answers.yaml
    """
    state = app(ctx)
    if name == "all":
        raise ChecklistError("NAME: give one checklist to run (see `keyvigil checklist list`)")
    (checklist,) = select_checklists(name, user_dir)
    request = RunRequest(
        checklist, load_policy(state.policy_path()), state.clock(), state.actor_name()
    )
    result = run_checklist(state.store(), request, _source(answers, state.actor_name()))
    if state.json:
        print_json({**checklist_record(result.after), "attested_now": list(result.attested)})
        return
    _print_status(result.after)
    note(f"{len(result.attested)} attestation(s) recorded for {checklist.id}")


@command.command("report")
@click.argument("name")
@click.option(
    "--out",
    required=True,
    metavar="FILE.pdf",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the PDF.",
)
@click.option(
    "--templates",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of your own templates, tried before the built-in ones.",
)
@checklists_option
@global_options
@click.pass_context
def report_cmd(
    ctx: click.Context, name: str, out: Path, templates: Path | None, user_dir: Path | None
) -> None:
    """Write the managers' PDF for checklist NAME (or all): overview, items, sign-off block.

    Example: keyvigil checklist report all --out checklists.pdf
    """
    state = app(ctx)
    request = ReportRequest(
        tuple(select_checklists(name, user_dir)),
        load_policy(state.policy_path()),
        state.clock(),
        state.actor_name(),
        out,
        templates,
    )
    written = report_checklists(state.store(), request)
    if state.json:
        print_json(
            {
                "path": str(written.path),
                "report_id": written.report_id,
                "pdf_sha256": written.pdf_sha256,
                "pages": written.pages,
            }
        )
        return
    click.echo(str(written.path))
    note(f"{written.pages} pages; report {written.report_id}; pdf sha256 {written.pdf_sha256}")
