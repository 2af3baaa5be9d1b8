"""``keyvigil keys``: generate, rotate and revoke keys; what is due; the rotation schedule."""

from __future__ import annotations

import re
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import click

from toolkit.cli.options import app, global_options
from toolkit.cli.output import note, print_json, print_table
from toolkit.errors import KeysError
from toolkit.keys import KeySpec, NewSecret, show_secret_once, write_secret_file
from toolkit.keys.commands import (
    Delivery,
    Generated,
    GenerateRequest,
    RotateRequest,
    generate_key,
    rotate_key,
)
from toolkit.keys.schedule import due, parse_span, revoke, revoke_due, rotation_schedule
from toolkit.rules.policy import load_policy
from toolkit.timeutil import isoformat


def _delivery(out: Path | None) -> Delivery:
    """Write the value to ``out`` (new, 0600), else show it once on this terminal.

    Delivery is the last step of the transaction, so a refused delivery records nothing.
    """
    if out is not None:
        return lambda secret: _write(secret, out)
    return lambda secret: show_secret_once(secret, sys.stdout)  # refuses a pipe: rolls back


def _write(secret: NewSecret, out: Path) -> None:
    """Write the value to a new 0600 file."""
    write_secret_file(secret, out)


def _report(made: Generated, out: Path | None, as_json: bool) -> None:
    """What was recorded: key id, fingerprint prefix, expiry (never the value)."""
    record: dict[str, Any] = {
        "key_id": made.key.key_id,
        "provider": made.key.provider,
        "fingerprint_prefix": (made.key.fingerprint or "")[:12],
        "expires_at": isoformat(made.expires_at),
        "replaces": made.replaces,
        "revocation_due": isoformat(made.revocation_due),
        "value_written_to": str(out) if out else None,
    }
    if as_json:
        print_json(record)
        return
    click.echo(f"key {made.key.key_id} recorded (fingerprint {record['fingerprint_prefix']}…)")
    note(f"expires: {record['expires_at'] or 'never'}")
    if made.replaces:
        note(f"replaces {made.replaces}; its revocation is due {record['revocation_due']}")
    if out:
        note(f"value written to {out} (mode 0600); it is not stored anywhere else")


@click.group("keys")
def command() -> None:
    """Generate, rotate and revoke keys (values shown once, never stored); schedules."""


out_option = click.option(
    "--out",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the value to this new file (mode 0600, never overwritten) instead of showing it.",
)


class Span(click.ParamType):
    """A span of time on the command line: ``48h``, ``90d``, ``2w``."""

    name = "SPAN"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """The span as a timedelta (a timedelta given by a caller is kept)."""
        if isinstance(value, timedelta):
            return value
        option = f"--{(param.name or '').replace('_', '-')}" if param else "SPAN"
        return parse_span(str(value), option)


@command.command("generate")
@click.option("--name", required=True, help="Human-readable name of the key.")
@click.option("--owner", required=True, help="Person or team answerable for the key.")
@click.option("--environment", required=True, help="dev, staging, prod or your own name.")
@click.option("--scopes", required=True, help="Permissions, comma or space separated.")
@click.option("--purpose", help="What the key is for.")
@click.option("--expires-in", type=Span(), help="Lifetime: 90d, 48h, 2w.")
@click.option("--no-expiry", is_flag=True, help="A key that never expires (needs --reason).")
@click.option("--reason", metavar="TEXT", help="Why the key may never expire.")
@out_option
@global_options
@click.pass_context
def generate_cmd(
    ctx: click.Context,
    name: str,
    owner: str,
    environment: str,
    scopes: str,
    purpose: str | None,
    expires_in: timedelta | None,
    no_expiry: bool,
    reason: str | None,
    out: Path | None,
) -> None:
    """Generate a 256-bit key, record its fingerprint and metadata, and hand out the value once.

    Example: keyvigil keys generate --name payments-api --owner payments-team
    --environment prod --scopes payments:read,payments:write --expires-in 90d --out key.txt
    """
    state = app(ctx)
    scope_list = tuple(s for s in re.split(r"[,\s]+", scopes) if s)
    spec = KeySpec(name, owner, environment, purpose=purpose, scopes=scope_list)
    request = GenerateRequest(
        spec, expires_in, no_expiry, reason, state.actor_name(), state.clock()
    )
    made = generate_key(state.store(), request, _delivery(out))
    _report(made, out, state.json)


@command.command("rotate")
@click.argument("key_id")
@click.option("--overlap", type=Span(), help="Old key stays valid this long (default 48h).")
@click.option(
    "--expires-in", type=Span(), help="Replacement's lifetime (default: rotation period)."
)
@click.option("--provider", help="The key's provider, when the id is held by several.")
@out_option
@global_options
@click.pass_context
def rotate_cmd(
    ctx: click.Context,
    key_id: str,
    overlap: timedelta | None,
    expires_in: timedelta | None,
    provider: str | None,
    out: Path | None,
) -> None:
    """Generate KEY_ID's replacement (linked by `replaces`) and schedule KEY_ID's revocation.

    Example: keyvigil keys rotate pay-prod-1 --overlap 24h --out pay-prod-2.txt
    """
    state = app(ctx)
    request = RotateRequest(
        key_id, overlap, expires_in, state.actor_name(), state.clock(), provider
    )
    policy = load_policy(state.policy_path())
    made = rotate_key(state.store(), request, policy, _delivery(out))
    _report(made, out, state.json)


@command.command("due")
@global_options
@click.pass_context
def due_cmd(ctx: click.Context) -> None:
    """Scheduled revocations that are due (apply them with `keys revoke --due`).

    Example: keyvigil keys due --as-of 2026-10-03
    """
    state = app(ctx)
    with state.store().session() as session:
        rows = [
            {
                "key_id": r.key_id,
                "provider": r.provider,
                "replaced_by": r.replaced_by,
                "due_at": isoformat(r.due_at),
                "reason": r.reason,
            }
            for r in due(session, state.clock())
        ]
    if state.json:
        print_json(rows)
        return
    fields = ("key_id", "provider", "replaced_by", "due_at", "reason")
    print_table(list(fields), [[r[f] for f in fields] for r in rows])
    note(f"{len(rows)} revocation(s) due")


@command.command("revoke")
@click.argument("key_id", required=False)
@click.option("--reason", metavar="TEXT", help="Why the key is revoked (required with KEY_ID).")
@click.option("--due", "apply_due", is_flag=True, help="Apply every scheduled revocation now due.")
@click.option("--provider", help="The key's provider, when the id is held by several.")
@global_options
@click.pass_context
def revoke_cmd(
    ctx: click.Context,
    key_id: str | None,
    reason: str | None,
    apply_due: bool,
    provider: str | None,
) -> None:
    """Revoke KEY_ID with a reason, or (--due) every scheduled revocation that is due.

    Example: keyvigil keys revoke pay-prod-1 --reason "left in a public gist"
    """
    state = app(ctx)
    if apply_due == bool(key_id):
        raise KeysError("give KEY_ID --reason TEXT, or --due (not both)")
    if key_id and not (reason or "").strip():
        raise KeysError("--reason: required (policy: 'Document revocation reason')")
    with state.store().session() as session:
        if key_id:
            refs = [
                revoke(
                    session,
                    key_id,
                    reason=reason or "",
                    actor=state.actor_name(),
                    at=state.clock(),
                    provider=provider,
                )
            ]
        else:
            refs = revoke_due(session, actor=state.actor_name(), at=state.clock())
    if state.json:
        print_json([{"key_id": r.key_id, "provider": r.provider} for r in refs])
        return
    for ref in refs:
        click.echo(f"revoked {ref.key_id}")
    note(f"{len(refs)} key(s) revoked")


@command.command("schedule")
@click.option("--environment", help="Only keys of this environment.")
@global_options
@click.pass_context
def schedule_cmd(ctx: click.Context, environment: str | None) -> None:
    """Every active key with its next rotation by policy, overdue ones first.

    Example: keyvigil keys schedule --environment prod
    """
    state = app(ctx)
    policy = load_policy(state.policy_path())
    with state.store().session() as session:
        entries = rotation_schedule(session, policy, state.clock(), environment)
    rows = [
        {
            "key_id": e.key.key_id,
            "provider": e.key.provider,
            "environment": e.key.environment,
            "owner": e.key.owner,
            "rotation_days": e.rotation_days,
            "last_rotated": isoformat(e.last_rotated),
            "next_rotation": isoformat(e.next_rotation),
            "overdue_days": e.overdue_days,
            "revocation_due": isoformat(e.revocation_due),
            "rotation_requested_at": isoformat(e.requested_at),
            "rotation_requested_by": e.requested_by,
        }
        for e in entries
    ]
    if state.json:
        print_json(rows)
        return
    fields = (
        "key_id",
        "environment",
        "owner",
        "rotation_days",
        "next_rotation",
        "overdue_days",
        "revocation_due",
        "rotation_requested_by",
    )
    print_table(
        [
            "key",
            "env",
            "owner",
            "every (d)",
            "next rotation",
            "overdue (d)",
            "revocation due",
            "requested by",
        ],
        [[r[f] for f in fields] for r in rows],
    )
