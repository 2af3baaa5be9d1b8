"""``keyvigil incident``: open an incident for a key, run its playbook, report and close it."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from toolkit.cli.context import AppContext
from toolkit.cli.options import app, global_options, log_reading_options
from toolkit.cli.output import note, print_json, print_table
from toolkit.reports.incident_report import write_incident_report
from toolkit.rules.policy import load_policy
from toolkit.runbooks.answers import load_answers
from toolkit.runbooks.engine import RunOptions, run_incident
from toolkit.runbooks.evidence import evidence_dir
from toolkit.runbooks.incidents import (
    OpenRequest,
    add_incident_evidence,
    assign_role,
    close_incident,
    incident_evidence,
    incident_state,
    list_incidents,
    open_incident,
)  # fmt: skip
from toolkit.runbooks.model import LogSource
from toolkit.runbooks.terminal import TerminalPrompter
from toolkit.timeutil import isoformat, parse_cli_time

EXIT_STEP_FAILED = 1
EXIT_INTERRUPTED = 130
PLAYBOOKS = click.option(
    "--playbooks", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
    help="Folder of your own playbooks, tried before the shipped ones (or KEYVIGIL_PLAYBOOKS).",
)  # fmt: skip


@click.group("incident")
def command() -> None:
    """Work a key compromise or leak through its playbook, from first alert to the report."""


@command.command("open")
@click.argument("incident_type", metavar="TYPE")
@click.option("--key", "key_id", required=True, metavar="KEY_ID", help="The key concerned.")
@click.option("--provider", metavar="NAME", help="The key's provider, when its id is ambiguous.")
@click.option("--detected-at", metavar="TIME", help="When the problem was detected (UTC).")
@click.option("--commander", metavar="NAME", help="Incident commander (default: --actor).")
@click.option("--summary", metavar="TEXT", help="One line saying what happened.")
@PLAYBOOKS
@global_options
@click.pass_context
def open_cmd(ctx: click.Context, incident_type: str, key_id: str, provider: str | None,
             detected_at: str | None, commander: str | None, summary: str | None,
             playbooks: Path | None) -> None:  # fmt: skip
    """Open an incident of TYPE (key-leakage, key-compromise, rotation-manual...) for a key.

    Chooses the playbook, names the commander and starts the clocks. Example:
    keyvigil incident open key-leakage --key prod-gateway-v1 --detected-at 2026-09-30T16:40Z
    """
    a = app(ctx)
    detected = parse_cli_time(detected_at, "--detected-at") if detected_at else None
    request = OpenRequest(incident_type, key_id, provider, detected, commander, summary)
    view = open_incident(a.store(), request, actor=a.actor_name(), at=a.clock(),
                         policy=load_policy(a.policy_path()), playbooks=playbooks)  # fmt: skip
    if a.json:
        print_json(asdict(view))
        return
    click.echo(f"{view.ref}: {view.type} for key {view.key_id} (playbook {view.playbook_id})")
    note(f"next: keyvigil incident run {view.ref}")


def _run_options(a: AppContext, answers: Path | None, retry: str | None, logs: tuple[str, ...],
                 reading: dict[str, Any], playbooks: Path | None) -> RunOptions:  # fmt: skip
    """The engine's options from the command line."""
    interactive = answers is None
    if interactive and not sys.stdin.isatty():
        raise click.UsageError("no terminal to ask on: give --answers FILE to run without one")
    return RunOptions(
        actor=a.actor_name(), clock=a.clock, policy=load_policy(a.policy_path()),
        evidence_root=evidence_dir(a.store().url),
        logs=LogSource(tuple(Path(p) for p in logs), reading["log_format"],
                       reading["skip_bad_records"], reading["assume_tz"]),
        answers=load_answers(answers) if answers else None, answers_path=answers,
        prompter=TerminalPrompter() if interactive else None, retry=retry, playbooks=playbooks,
    )  # fmt: skip


@command.command("run")
@click.argument("ref", metavar="INC")
@click.option(
    "--answers",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Answers by step id (YAML) instead of a terminal; a missing one is an error.",
)
@click.option("--retry", metavar="STEP", help="Run a failed automated step again.")
@click.option("--logs", multiple=True, metavar="PATH", help="Access logs for the access review.")
@log_reading_options
@PLAYBOOKS
@global_options
@click.pass_context
def run_cmd(ctx: click.Context, ref: str, answers: Path | None, retry: str | None,
            logs: tuple[str, ...], playbooks: Path | None, **reading: Any) -> None:  # fmt: skip
    """Walk the commander through the incident's next steps; resumes where it stopped.

    On a terminal each step is asked with its default shown; type ? for the step's guidance
    and skip to skip it with a reason. Ctrl-C is safe: what was answered is kept. Example:
    keyvigil incident run INC-2026-0001 --logs access.jsonl.gz
    """
    a = app(ctx)
    options = _run_options(a, answers, retry, logs, reading, playbooks)
    try:
        result = run_incident(a.store(), ref, options)
    except KeyboardInterrupt:
        note(f"\nstopped; everything answered is kept. Resume: keyvigil incident run {ref}")
        ctx.exit(EXIT_INTERRUPTED)
    if a.json:
        print_json(asdict(result))
    else:
        note(f"{ref}: {result.message} ({result.done} step(s) recorded in this run)")
    if result.failed:
        ctx.exit(EXIT_STEP_FAILED)


@command.command("status")
@click.argument("ref", metavar="INC")
@PLAYBOOKS
@global_options
@click.pass_context
def status_cmd(ctx: click.Context, ref: str, playbooks: Path | None) -> None:
    """Where INC stands: current step, required steps open, clocks with time left or overdue.

    Example: keyvigil incident status INC-2026-0001
    """
    a = app(ctx)
    state = incident_state(a.store(), ref, as_of=a.clock(), policy=load_policy(a.policy_path()),
                           playbooks=playbooks)  # fmt: skip
    if a.json:
        print_json(asdict(state))
        return
    i = state.incident
    click.echo(f"{i.ref}  {i.type}  key {i.key_id}  {i.status}  severity {i.severity or '-'}")
    click.echo(f"playbook: {state.playbook_title}; {state.done} of {state.total} steps recorded")
    where = f"{state.current} ({state.current_title})" if state.current else "finished"
    click.echo(f"at step: {where}" + (f" [{state.current_status}]" if state.current_status else ""))
    click.echo(f"required steps open: {len(state.open_required)}")
    print_table(["clock", "state", "due", "detail"],
                [(c.id, c.state, isoformat(c.due_at), c.detail) for c in state.clocks],
                wrap=("detail",))  # fmt: skip


@command.command("list")
@click.option("--status", type=click.Choice(["open", "closed"]), help="Only these incidents.")
@global_options
@click.pass_context
def list_cmd(ctx: click.Context, status: str | None) -> None:
    """List incidents, newest first.

    Example: keyvigil incident list --status open
    """
    a = app(ctx)
    rows = list_incidents(a.store(), status)
    if a.json:
        print_json([asdict(r) for r in rows])
        return
    print_table(["incident", "type", "key", "status", "severity", "commander", "opened"],
                [(r.ref, r.type, r.key_id, r.status, r.severity, r.commander, r.opened_at)
                 for r in rows])  # fmt: skip


@command.command("close")
@click.argument("ref", metavar="INC")
@click.option("--force", is_flag=True, help="Close although required steps are open.")
@click.option("--reason", metavar="TEXT", help="Why it is closed with steps open (with --force).")
@PLAYBOOKS
@global_options
@click.pass_context
def close_cmd(ctx: click.Context, ref: str, force: bool, reason: str | None,
              playbooks: Path | None) -> None:  # fmt: skip
    """Close INC; refused while required steps are open, unless --force --reason TEXT.

    Example: keyvigil incident close INC-2026-0001
    """
    a = app(ctx)
    view = close_incident(a.store(), ref, actor=a.actor_name(), at=a.clock(),
                          policy=load_policy(a.policy_path()), force=force, reason=reason,
                          playbooks=playbooks)  # fmt: skip
    if a.json:
        print_json(asdict(view))
    else:
        click.echo(f"{view.ref} closed at {isoformat(view.closed_at)}")


@command.command("role")
@click.argument("ref", metavar="INC")
@click.argument("role")
@click.argument("person")
@PLAYBOOKS
@global_options
@click.pass_context
def role_cmd(ctx: click.Context, ref: str, role: str, person: str, playbooks: Path | None) -> None:
    """Give ROLE (commander, key_owner, scribe, legal) on INC to PERSON; recorded with time.

    Example: keyvigil incident role INC-2026-0001 scribe dana
    """
    a = app(ctx)
    holder = assign_role(a.store(), ref, role, person, actor=a.actor_name(), at=a.clock(),
                         policy=load_policy(a.policy_path()), playbooks=playbooks)  # fmt: skip
    click.echo(f"{ref}: {holder.role} is now {holder.person}")


@command.group("evidence")
def evidence_group() -> None:
    """Add evidence files to an incident and list them."""


@evidence_group.command("add")
@click.argument("ref", metavar="INC")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--note", "note_text", metavar="TEXT", help="What the file shows.")
@global_options
@click.pass_context
def evidence_add_cmd(ctx: click.Context, ref: str, file: Path, note_text: str | None) -> None:
    """Copy FILE into the evidence store (named by SHA-256, read-only) and record it for INC.

    Example: keyvigil incident evidence add INC-2026-0001 gist-screenshot.png --note "the leak"
    """
    a = app(ctx)
    item = add_incident_evidence(a.store(), ref, file, note=note_text, actor=a.actor_name(),
                                 at=a.clock())  # fmt: skip
    if a.json:
        print_json(asdict(item))
    else:
        click.echo(f"{ref}: evidence {item.id} {item.name} sha256 {item.sha256}")


@evidence_group.command("list")
@click.argument("ref", metavar="INC")
@global_options
@click.pass_context
def evidence_list_cmd(ctx: click.Context, ref: str) -> None:
    """List INC's evidence, each copy re-hashed and checked.

    Example: keyvigil incident evidence list INC-2026-0001
    """
    a = app(ctx)
    items = incident_evidence(a.store(), ref)
    if a.json:
        print_json([asdict(i) for i in items])
        return
    print_table(["id", "file", "sha256", "bytes", "added", "by", "intact", "note"],
                [(i.id, i.name, i.sha256, i.size, i.added_at, i.actor, i.intact, i.note)
                 for i in items])  # fmt: skip


@command.command("report")
@click.argument("ref", metavar="INC")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.pdf",
    help="Where to write the PDF.",
)
@click.option(
    "--templates",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Your own template folder, tried before the built-in templates.",
)
@PLAYBOOKS
@global_options
@click.pass_context
def report_cmd(ctx: click.Context, ref: str, out: Path, templates: Path | None,
               playbooks: Path | None) -> None:  # fmt: skip
    """Write INC's report: summary, timeline, steps, access review, evidence, clocks, metrics.

    Example: keyvigil incident report INC-2026-0001 --out INC-2026-0001.pdf
    """
    a = app(ctx)
    policy = load_policy(a.policy_path())
    options = RunOptions(actor=a.actor_name(), clock=a.clock, policy=policy,
                         evidence_root=evidence_dir(a.store().url),
                         playbooks=playbooks)  # fmt: skip
    written = write_incident_report(a.store(), ref, out, options, as_of=a.clock(),
                                    organisation=policy.organisation,
                                    templates=templates)  # fmt: skip
    if a.json:
        print_json(asdict(written))
    else:
        click.echo(f"{written.path}: {written.pages} page(s), sha256 {written.pdf_sha256}")
