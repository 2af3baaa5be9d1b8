"""``keyvigil audit report``: Write the audit report (PDF/A and HTML) of a stored run."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli.options import app, global_options
from toolkit.cli.output import note, print_json
from toolkit.reports.context import AUDIENCES, PAPERS, ReportOptions
from toolkit.reports.runs import write_report


@click.command("report")
@click.argument("run")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.pdf",
    help="Where to write the report (.html goes beside it).",
)
@click.option(
    "--format",
    "formats",
    default="pdf",
    show_default=True,
    metavar="LIST",
    help="Comma-separated: pdf,html.",
)
@click.option(
    "--audience",
    type=click.Choice(AUDIENCES),
    default="full",
    show_default=True,
    help="full: every section; executive: 2-4 pages (summary, changes, worst findings, trend).",
)
@click.option(
    "--templates",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    metavar="DIR",
    help="Your templates folder, tried before the built-in ones.",
)
@click.option(
    "--paper", type=click.Choice(PAPERS), default="a4", show_default=True, help="Page size."
)
@click.option(
    "--prepared-by",
    metavar="NAME",
    help="Preparer named in the sign-off block (default: the actor, --actor).",
)
@click.option(
    "--reviewed-by",
    metavar="NAME",
    help="Reviewer named in the sign-off block (default: a blank line to fill in).",
)
@global_options
@click.pass_context
def command(
    ctx: click.Context,
    run: str,
    out: Path,
    formats: str,
    audience: str,
    templates: Path | None,
    paper: str,
    prepared_by: str | None,
    reviewed_by: str | None,
) -> None:
    """Write the audit report of RUN (a run id, unique prefix or `latest`).

    \b
    Example:
      keyvigil audit report latest --out q3-audit.pdf --format pdf,html \
          --reviewed-by "Dana Reviewer, Internal Audit"

    The last page holds a sign-off block: preparer and reviewer by name, with lines for
    their signatures and the dates they sign.
    """
    state = app(ctx)
    options = ReportOptions(
        audience=audience,
        paper=paper,
        templates=str(templates) if templates else None,
        prepared_by=(prepared_by or "").strip() or state.actor_name(),
        reviewed_by=(reviewed_by or "").strip() or None,
    )
    written = write_report(
        state.store(),
        run,
        out,
        formats=[f.strip() for f in formats.split(",") if f.strip()],
        options=options,
        actor=state.actor_name(),
        at=state.wall_clock(),
    )
    if state.json:
        print_json(
            {
                "run_id": written.run_id,
                "files": [str(p) for p in written.files],
                "pages": written.pages,
                "pdf_sha256": written.pdf_sha256,
                "result_sha256": written.result_sha256,
            }
        )
        return
    for path in written.files:
        click.echo(str(path))
    if written.pages is not None:
        note(f"{written.pages} pages; run {written.run_id}; pdf sha256 {written.pdf_sha256}")
