"""``keyvigil trail``: verify and show the tamper-evident record of what keyvigil did."""

from __future__ import annotations

import json

import click

from toolkit.cli.options import app, global_options
from toolkit.cli.output import note, print_json, print_table
from toolkit.trail import TrailStatus, entries, verify


@click.group("trail")
def command() -> None:
    """Verify or show the audit trail of everything keyvigil did."""


@command.command("verify")
@global_options
@click.pass_context
def verify_cmd(ctx: click.Context) -> None:
    """Check the hash chain and that every audit run is in it; exit 1 naming what is wrong.

    With KEYVIGIL_TRAIL_KEY set, entries are also checked against their HMAC.

    Example: keyvigil trail verify
    """
    with app(ctx).store().read_session() as session:
        status = verify(session)
    if app(ctx).json:
        print_json(
            {
                "ok": status.ok,
                "entries": status.count,
                "head": status.head,
                "bad_seq": status.bad_seq,
                "problem": status.problem,
                "keyed": status.keyed,
                "unkeyed": status.unkeyed,
            }
        )
    elif status.ok:
        click.echo(f"trail intact: {status.count} entries, head {status.head}{_keying(status)}")
    elif status.bad_seq is None:
        note(f"trail INCOMPLETE: {status.problem}")
    else:
        note(f"trail BROKEN at entry {status.bad_seq}: {status.problem}")
    if not status.ok:
        ctx.exit(1)


def _keying(status: TrailStatus) -> str:
    """How many entries the trail key authenticates, when any does."""
    if not status.keyed:
        return ""
    return f"; {status.keyed} authenticated with the trail key, {status.unkeyed} written before it"


@command.command("show")
@click.option("--action", "action_prefix", metavar="PREFIX", help="Only actions starting with it.")
@global_options
@click.pass_context
def show_cmd(ctx: click.Context, action_prefix: str | None) -> None:
    """List trail entries, oldest first.

    Example: keyvigil trail show --action inventory.
    """
    with app(ctx).store().read_session() as session:
        rows = entries(session, action_prefix)
    if app(ctx).json:
        print_json(
            [
                {
                    "seq": r.seq,
                    "ts": r.ts,
                    "actor": r.actor,
                    "action": r.action,
                    "payload": json.loads(r.payload),
                    "prev_hash": r.prev_hash,
                    "hash": r.hash,
                }
                for r in rows
            ]
        )
        return
    print_table(
        ["seq", "time", "actor", "action", "hash"],
        [(r.seq, r.ts, r.actor, r.action, r.hash[:12]) for r in rows],
    )
