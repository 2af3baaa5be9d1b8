"""``keyvigil finding``: management responses to findings (owner, due date, status, note)."""

from __future__ import annotations

import click

from toolkit.audit.responses import (
    ResponseChange,
    current_responses,
    parse_due,
    parse_status,
    record_response,
    response_data,
)
from toolkit.cli.options import app, global_options
from toolkit.cli.output import print_json, print_table


@click.group("finding")
def command() -> None:
    """Respond to findings: owner, remediation due date, status and the response text."""


@command.command("respond")
@click.argument("finding_id", metavar="ID")
@click.option("--owner", metavar="NAME", help="Who fixes it (default: the key's owner).")
@click.option(
    "--due", metavar="DATE", help="Remediation due date, YYYY-MM-DD (default: by policy)."
)
@click.option(
    "--status",
    metavar="STATUS",
    help="open, in-progress, fixed or risk-accepted (risk-accepted needs --note).",
)
@click.option("--note", metavar="TEXT", help="The response text shown in the report.")
@global_options
@click.pass_context
def respond_cmd(
    ctx: click.Context,
    finding_id: str,
    owner: str | None,
    due: str | None,
    status: str | None,
    note: str | None,
) -> None:
    """Record management's response to finding ID (as `finding list` and the report show it).

    Options not given keep the response in force. The next audit run that finds it carries it.

    \b
    Example:
      keyvigil finding respond 3f2a9c0d1b2e4f56 --owner payments-team --due 2026-11-15 \\
          --status in-progress --note "Rotation scheduled with the November release"
    """
    a = app(ctx)
    change = ResponseChange(owner=owner, due=parse_due(due), status=parse_status(status), note=note)
    with a.store().session() as session:
        found, row = record_response(
            session, finding_id, change, actor=a.actor_name(), at=a.wall_clock()
        )
        record = response_data(found, row)
    if a.json:
        print_json(record)
        return
    due_text = record["due"] or "by policy"
    click.echo(
        f"finding {found.finding_id} ({found.rule_id} on {found.subject}): "
        f"{row.status.replace('_', ' ')}, owner {row.owner or 'key owner'}, due {due_text}"
    )


@command.command("list")
@click.argument("run", default="latest")
@click.option("--overdue", "only_overdue", is_flag=True, help="Only findings past their due date.")
@global_options
@click.pass_context
def list_cmd(ctx: click.Context, run: str, only_overdue: bool) -> None:
    """List RUN's findings (default: latest) with the response in force: owner, due, status.

    Overdue is judged at the run's as-of time; an overdue response is marked OVERDUE.

    \b
    Example:
      keyvigil finding list latest --overdue
    """
    a = app(ctx)
    with a.store().session() as session:
        run_id, findings = current_responses(session, run)
    findings = [f for f in findings if f.response.overdue or not only_overdue]
    if a.json:
        print_json([{"run_id": run_id, **f.model_dump()} for f in findings])
        return
    print_table(
        ["id", "severity", "rule", "subject", "owner", "due", "status", "overdue"],
        [
            [
                f.id,
                f.severity,
                f.rule_id,
                f.subject,
                f.response.owner or "-",
                f.response.due,
                f.response.status.replace("_", " "),
                "OVERDUE" if f.response.overdue else "",
            ]
            for f in findings
        ],
    )
