"""``keyvigil inventory``: import, list and show keys."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from toolkit.cli.options import app, global_options
from toolkit.cli.output import note, print_json, print_table
from toolkit.csvsafe import csv_text
from toolkit.ingest.inventory import INVENTORY_READERS, ReadOptions
from toolkit.ingest.inventory.importer import FileSummary, import_inventories
from toolkit.ingest.inventory.queries import LIST_COLUMNS, find_key, key_view
from toolkit.ingest.inventory.values import key_values
from toolkit.rules.policy import load_policy
from toolkit.timeutil import resolve_zone

FORMATS = ", ".join(INVENTORY_READERS)


@click.group("inventory")
def command() -> None:
    """Import key inventories and look at the keys keyvigil knows."""


def _terminal_progress(files: tuple[Path, ...]) -> Callable[[int, int], None] | None:
    """A progress bar on stderr when it is a terminal; None (quiet) when piped."""
    if not sys.stderr.isatty():
        return None
    size = sum(f.stat().st_size for f in files if f.is_file())
    if size > 5 * 1024 * 1024:
        note(f"reading {len(files)} file(s), {size / 1024 / 1024:,.0f} MiB ...")
    bar: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        """Advance the bar to ``done`` of ``total`` rows written."""
        if "bar" not in bar and total >= 20000:
            bar["bar"] = click.progressbar(length=total, label="writing keys", file=sys.stderr)
            bar["bar"].__enter__()
        if "bar" in bar:
            bar["bar"].update(done - bar["bar"].pos)
            if done >= total:
                bar["bar"].__exit__(None, None, None)

    return update


def _describe(f: FileSummary) -> str:
    """One line about one imported file."""
    if f.already_imported and not f.changed:
        return f"{f.path}: already imported ({f.reader}, sha256 {f.sha256[:12]}), nothing changed"
    counts = f"{f.inserted} new, {f.updated} updated, {f.unchanged} unchanged"
    matched = f", {f.matched} matched to access-key ids" if f.matched else ""
    return f"{f.path}: {f.reader}, {f.rows} keys: {counts}{matched}"


@command.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", metavar="NAME", help=f"Force a reader ({FORMATS}).")
@click.option("--environment", metavar="ENV", help="Environment for keys whose file names none.")
@click.option("--provider", metavar="NAME", help="Provider name for the keys (default per format).")
@click.option("--assume-tz", metavar="ZONE", help="Zone of timestamps written without one.")
@global_options
@click.pass_context
def import_cmd(
    ctx: click.Context,
    files: tuple[Path, ...],
    fmt: str | None,
    environment: str | None,
    provider: str | None,
    assume_tz: str | None,
) -> None:
    """Import inventory files (format detected by content) in one transaction.

    Example: keyvigil inventory import keys.csv credential-report.json --environment prod
    """
    options = ReadOptions(environment, provider, resolve_zone(assume_tz))
    state = app(ctx)
    summary = import_inventories(
        state.store(),
        files,
        options,
        state.actor_name(),
        state.wall_clock(),
        fmt,
        _terminal_progress(files),
    )
    if state.json:
        print_json(summary.to_dict())
        return
    for item in summary.files:
        click.echo(_describe(item))
    if not summary.changed:
        note("nothing changed")


@command.command("list")
@click.option("--environment", metavar="ENV", help="Only keys of this environment.")
@click.option("--provider", metavar="NAME", help="Only keys of this provider.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@global_options
@click.pass_context
def list_cmd(
    ctx: click.Context, environment: str | None, provider: str | None, as_csv: bool
) -> None:
    """List the keys in the inventory (state as at --as-of, default now).

    Example: keyvigil inventory list --environment prod --json
    """
    state = app(ctx)
    min_bits = _min_bits(state.policy_path())
    with state.store().read_session() as session:
        keys = key_values(session, environment, provider)
        views = [key_view(k, state.clock(), min_bits) for k in keys]
    if state.json:
        print_json(views)
    elif as_csv:
        fields = list(views[0]) if views else list(LIST_COLUMNS)
        rows = ([view[name] for name in fields] for view in views)
        click.echo(csv_text(fields, rows, line_end="\n"), nl=False)
    else:
        print_table(LIST_COLUMNS, [[v[c] for c in LIST_COLUMNS] for v in views])
    weak = sum(1 for view in views if view["weak_key"])
    if weak and not state.json:
        note(f"WEAK KEYS: {weak} key(s) under the minimum entropy; rotate them")


@command.command("show")
@click.argument("key_id")
@click.option("--provider", metavar="NAME", help="Which provider's key, when several share the id.")
@global_options
@click.pass_context
def show_cmd(ctx: click.Context, key_id: str, provider: str | None) -> None:
    """Show every stored field of one key.

    Example: keyvigil inventory show AKIAIOSFODNN7EXAMPLE --json
    """
    state = app(ctx)
    with state.store().read_session() as session:
        key = find_key(session, key_id, provider)
        view = key_view(key, state.clock(), _min_bits(state.policy_path()))
    if state.json:
        print_json(view)
    else:
        print_table(["field", "value"], sorted(view.items()), wrap=("value",))
    if view["weak_key"]:
        note(f"WEAK KEY: {view['strength']}; rotate it (a weak value is guessable from its hash)")


def _min_bits(policy: Path | None) -> float:
    """The policy's minimum key entropy (the seed's 256 bits without a policy file)."""
    return float(load_policy(policy).min_entropy_bits)
