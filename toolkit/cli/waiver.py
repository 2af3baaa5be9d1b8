"""``keyvigil waiver``: add, list and revoke waivers (owned, justified, expiring exceptions)."""

from __future__ import annotations

from datetime import datetime, timedelta

import click

from toolkit.cli.options import app, global_options
from toolkit.cli.output import note, print_json, print_table
from toolkit.rules.waivers import add_waiver, list_waivers, revoke_waiver, waiver_record
from toolkit.timeutil import parse_cli_time


def parse_expiry(value: str | None) -> datetime | None:
    """``--expires``: a bare date means the end of that day (UTC); a time is taken as given."""
    if value is None:
        return None
    moment = parse_cli_time(value, "--expires")
    if len(value.strip()) == 10:  # YYYY-MM-DD
        moment += timedelta(days=1)
    return moment


@click.group("waiver")
def command() -> None:
    """Add, list and revoke waivers (owned, justified, expiring exceptions)."""


@command.command("add")
@click.argument("rule")
@click.option("--key", "pattern", required=True, metavar="PATTERN", help="Key id glob: 'AKIA*'.")
@click.option("--reason", required=True, metavar="TEXT", help="Why the exception is acceptable.")
@click.option("--owner", required=True, metavar="NAME", help="Who answers for the exception.")
@click.option("--expires", required=True, metavar="DATE", help="Expiry date (end of day, UTC).")
@click.option(
    "--approved-by",
    metavar="NAME",
    help="Who approved the exception (recorded with the time); without it the waiver applies "
    "but reports flag it as unapproved.",
)
@global_options
@click.pass_context
def add_cmd(
    ctx: click.Context,
    rule: str,
    pattern: str,
    reason: str,
    owner: str,
    expires: str,
    approved_by: str | None,
) -> None:
    """Waive RULE for keys whose id matches PATTERN until DATE.

    Example: keyvigil waiver add no-expiry --key 'AKIA*' --reason "AWS keys cannot expire"
    --owner platform-team --expires 2026-12-31 --approved-by ciso@example.org
    """
    ctx_ = app(ctx)
    with ctx_.store().session() as session:
        waiver = add_waiver(
            session,
            rule_id=rule,
            key_pattern=pattern,
            reason=reason,
            owner=owner,
            expires_at=parse_expiry(expires),
            actor=ctx_.actor_name(),
            now=ctx_.clock(),
            at=ctx_.wall_clock(),
            approved_by=approved_by,
        )
        record = waiver_record(waiver, ctx_.clock())
    if ctx_.json:
        print_json(record)
    else:
        approver = record["approved_by"]
        approval = f"approved by {approver}" if approver else "unapproved"
        until = record["expires_at"]
        click.echo(f"waiver {record['id']}: {rule} on {pattern!s} until {until} ({approval})")


@command.command("list")
@click.option("--all", "include_all", is_flag=True, help="Include expired and revoked waivers.")
@global_options
@click.pass_context
def list_cmd(ctx: click.Context, include_all: bool) -> None:
    """List active waivers (with --all, expired and revoked ones too).

    Example: keyvigil waiver list --all
    """
    ctx_ = app(ctx)
    with ctx_.store().session() as session:
        rows = [
            waiver_record(w, ctx_.clock())
            for w in list_waivers(session, ctx_.clock(), include_all=include_all)
        ]
    if ctx_.json:
        print_json(rows)
        return
    fields = (
        "id",
        "rule_id",
        "key_pattern",
        "owner",
        "approved_by",
        "expires_at",
        "state",
        "reason",
    )
    print_table(
        ["id", "rule", "key", "owner", "approved by", "expires", "state", "reason"],
        [[r[f] for f in fields] for r in rows],
        wrap=("reason",),
    )


@command.command("revoke")
@click.argument("waiver_id", metavar="ID", type=int)
@click.option("--reason", metavar="TEXT", help="Why the waiver is withdrawn (kept in the trail).")
@global_options
@click.pass_context
def revoke_cmd(ctx: click.Context, waiver_id: int, reason: str | None) -> None:
    """Revoke waiver ID: its findings count again from the next audit run.

    Example: keyvigil waiver revoke 3 --reason "key rotated"
    """
    ctx_ = app(ctx)
    with ctx_.store().session() as session:
        waiver = revoke_waiver(
            session, waiver_id, reason=reason, actor=ctx_.actor_name(), now=ctx_.wall_clock()
        )
        record = waiver_record(waiver, ctx_.clock())
    if ctx_.json:
        print_json(record)
    else:
        note(f"waiver {waiver_id} revoked")
