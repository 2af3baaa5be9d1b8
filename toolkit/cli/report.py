"""``keyvigil report``: Check that a report PDF is the one its audit run produced."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from toolkit.cli.options import app, global_options
from toolkit.cli.output import print_json
from toolkit.reports.verify import verify_report

EXIT_NOT_GENUINE = 1


@click.group("report")
def command() -> None:
    """Check that a report PDF is the one its audit run produced."""


@command.command("verify")
@click.argument("pdf", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@global_options
@click.pass_context
def verify(ctx: click.Context, pdf: Path) -> None:
    """Check PDF against its embedded result, the run in the database and the trail.

    Exit 0 when the report is the one the run produced, 1 when anything differs.

    \b
    Example:
      keyvigil report verify q3-audit.pdf
    """
    result = verify_report(pdf, app(ctx).store())
    if app(ctx).json:
        print_json(
            {
                "path": result.path,
                "run_id": result.run_id,
                "ok": result.ok,
                "checks": [vars(check) for check in result.checks],
            }
        )
    else:
        for check in result.checks:
            click.echo(f"{'ok  ' if check.ok else 'FAIL'}  {check.name}: {check.detail}")
        verdict = "genuine" if result.ok else "NOT the report its run produced"
        click.echo(f"{pdf}: {verdict} (run {result.run_id or 'unknown'})")
    if not result.ok:
        sys.exit(EXIT_NOT_GENUINE)
