"""``keyvigil audit``: Run quarterly audits and look at, compare and report on them."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from toolkit.audit import AuditRequest, diff_documents, get_run, list_runs, run_audit, run_document
from toolkit.audit.storage import run_row, run_text
from toolkit.audit.summary import diff_lines, failing, run_lines
from toolkit.cli import audit_report
from toolkit.cli.options import app, global_options, log_reading_options
from toolkit.cli.output import dumps_with, note, print_json, print_table
from toolkit.reports.exporters import EXPORTERS
from toolkit.rules.interface import Severity

EXIT_FINDINGS = 1


def _csv_list(_ctx: click.Context, _param: click.Parameter, value: str | None) -> tuple[str, ...]:
    """``a,b , c`` -> ("a", "b", "c")."""
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


@click.group("audit")
def command() -> None:
    """Run quarterly audits and look at, compare and report on them."""


@command.command("run")
@click.option(
    "--inventory",
    "inventories",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="Inventory file to import first (repeatable); none: keys already imported.",
)
@click.option(
    "--logs",
    multiple=True,
    metavar="PATH",
    help="Access log file, folder or glob (repeatable); none: log rules not evaluated.",
)
@click.option(
    "--frameworks",
    callback=_csv_list,
    metavar="LIST",
    help="Comma-separated: soc2,pci-dss,gdpr,hipaa (default: all).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Output folder (default: ./keyvigil-out/<run-id>/).",
)
@click.option(
    "--format",
    "formats",
    callback=_csv_list,
    default="json",
    show_default=True,
    metavar="LIST",
    help="Comma-separated outputs: json,csv,sarif,oscal,pdf,html.",
)
@click.option(
    "--fail-on",
    type=click.Choice([*(s.value for s in Severity), "none"]),
    default="none",
    show_default=True,
    help="Exit 1 when an unwaived finding at or above this severity exists.",
)
@click.option(
    "--scan",
    type=click.Path(exists=True, path_type=Path),
    metavar="RESULT",
    help="Scan results JSON (`keyvigil scan --format json`), or a folder to scan now; "
    "none: scan rules not evaluated.",
)
@click.option("--inventory-format", metavar="NAME", help="Force the inventory reader.")
@log_reading_options
@global_options
@click.pass_context
def run_cmd(ctx: click.Context, fail_on: str, **options: object) -> None:
    """Audit every key against the policy and the chosen frameworks; store and write the results.

    Example: keyvigil audit run --inventory keys.csv --logs 'logs/*.jsonl'
    --as-of 2026-10-01 --format json,csv,sarif,oscal --fail-on high
    """
    a = app(ctx)
    request = AuditRequest(as_of=a.clock(), policy_path=a.policy_path(), **options)  # type: ignore[arg-type]
    progress = note if sys.stderr.isatty() else None
    outcome = run_audit(
        a.store(), request, a.actor_name(), a.wall_clock(), progress, writers=EXPORTERS
    )
    bad = failing(outcome.document, fail_on)
    if a.json:
        print_json(
            {
                "run": run_row(outcome.run),
                "outputs": [str(p) for p in outcome.outputs],
                "failing": len(bad),
            }
        )
    else:
        click.echo("\n".join(run_lines(outcome.run.id, outcome.document, outcome.outputs)))
    if bad:
        note(f"{len(bad)} unwaived finding(s) at or above {fail_on}")
        ctx.exit(EXIT_FINDINGS)


@command.command("list")
@global_options
@click.pass_context
def list_cmd(ctx: click.Context) -> None:
    """List stored audit runs, newest first."""
    a = app(ctx)
    with a.store().session() as session:
        rows = [run_row(r) for r in list_runs(session)]
    if a.json:
        print_json(rows)
        return
    print_table(
        ["run", "as_of", "created_at", "frameworks", "findings", "open", "result_sha256"],
        [
            [
                r["id"],
                r["as_of"],
                r["created_at"],
                r["frameworks"],
                r["summary"].get("findings"),
                r["summary"].get("open"),
                (r["result_sha256"] or "")[:12],
            ]
            for r in rows
        ],
    )


@command.command("show")
@click.argument("run_ref", metavar="RUN")
@global_options
@click.pass_context
def show_cmd(ctx: click.Context, run_ref: str) -> None:
    """Show one run's summary (RUN: id, unique prefix or 'latest'); --json prints the document."""
    a = app(ctx)
    with a.store().session() as session:
        run = get_run(session, run_ref)
        row = run_row(run)
        if a.json:  # the stored bytes as they are: they are the document
            click.echo(dumps_with({"run": row}, "result", run_text(run)))
        else:
            click.echo("\n".join(run_lines(row["id"], run_document(run))))


@command.command("diff")
@click.argument("run_a", metavar="RUN_A")
@click.argument("run_b", metavar="RUN_B")
@global_options
@click.pass_context
def diff_cmd(ctx: click.Context, run_a: str, run_b: str) -> None:
    """Compare two runs: new, resolved and persisting findings, control status changes."""
    a = app(ctx)
    with a.store().session() as session:
        first, second = get_run(session, run_a), get_run(session, run_b)
        diff = diff_documents(run_document(first), run_document(second))
        diff = diff.model_copy(
            update={
                "before": diff.before.model_copy(update={"run": first.id}),
                "after": diff.after.model_copy(update={"run": second.id}),
            }
        )
    if a.json:
        print_json(diff.data())
    else:
        click.echo("\n".join(diff_lines(first.id, second.id, diff)))


command.add_command(audit_report.command)  # `audit report RUN` lives in its own module
