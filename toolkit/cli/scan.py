"""``keyvigil scan``: find secrets in folders, logs and git history, knowing the inventory."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from toolkit.cli.options import app, global_options
from toolkit.cli.output import note, print_json
from toolkit.rules.interface import Severity
from toolkit.scan.interface import ScanOptions
from toolkit.scan.service import ScanRequest, scan_and_record
from toolkit.scan.summary import as_json, failing, summary_lines

EXIT_FINDINGS = 1
MB = 1024 * 1024


def _csv_list(_ctx: click.Context, _param: click.Parameter, value: str | None) -> tuple[str, ...]:
    """``a,b`` -> ("a", "b")."""
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


@click.command("scan")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--git", is_flag=True, help="Also scan the history of every branch and tag.")
@click.option("--since", metavar="COMMIT", help="History only after COMMIT (implies --git).")
@click.option("--logs", is_flag=True, help="Every PATH is a log (rule secret-in-logs).")
@click.option(
    "--inventory",
    "inventories",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="PATH",
    help="Inventory file whose fingerprints to look for (repeatable; default: the store's).",
)
@click.option("--inventory-format", metavar="NAME", help="Force the inventory reader.")
@click.option(
    "--home",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    metavar="DIR",
    help="Also check credential file modes under this home (~/.config/failsafe-qore/...).",
)
@click.option("--no-ignore", is_flag=True, help="Scan files .gitignore excludes too.")
@click.option(
    "--max-size",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    metavar="MB",
    help="Skip (and report) files larger than this.",
)
@click.option(
    "--format",
    "formats",
    callback=_csv_list,
    metavar="LIST",
    help="json,sarif (default: a summary).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write the format(s) here instead of stdout.",
)
@click.option(
    "--fail-on",
    type=click.Choice([*(s.value for s in Severity), "none"]),
    default="none",
    show_default=True,
    help="Exit 1 when a finding at or above this severity exists.",
)
@global_options
@click.pass_context
def command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    git: bool,
    since: str | None,
    logs: bool,
    inventories: tuple[Path, ...],
    inventory_format: str | None,
    home: Path | None,
    no_ignore: bool,
    max_size: int,
    formats: tuple[str, ...],
    out: Path | None,
    fail_on: str,
) -> None:
    """Scan files, logs and git history for secrets; recognise inventoried keys by fingerprint.

    Never prints a secret: a fingerprint prefix, the length and at most 4 characters.

    Example: keyvigil scan . --git --home ~ --format sarif --out scan.sarif --fail-on high
    """
    a = app(ctx)
    progress = note if sys.stderr.isatty() else None
    options = ScanOptions(
        git=git, since=since, logs=logs, no_ignore=no_ignore, home=home,
        max_bytes=max_size * MB, progress=progress,
    )  # fmt: skip
    request = ScanRequest(
        paths, options, inventories, inventory_format, formats, out, a.policy_path()
    )
    outcome = scan_and_record(a.store(), request, a.actor_name(), a.wall_clock())
    if a.json:
        print_json(as_json(outcome.report))
    elif request.formats and request.out is None:
        click.echo(outcome.rendered[request.formats[0]].decode("utf-8"), nl=False)
    else:
        click.echo("\n".join(summary_lines(outcome.report)))
        for path in outcome.written:
            note(f"wrote {path}")
    bad = failing(outcome.report, fail_on)
    if bad:
        note(f"{len(bad)} finding(s) at or above {fail_on}")
        ctx.exit(EXIT_FINDINGS)
