"""``keyvigil playbook``: list the incident playbooks and validate playbook files."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli.options import app, global_options
from toolkit.cli.output import print_json, print_table
from toolkit.runbooks.loader import PlaybookProblems, load_playbook, playbook_files

EXIT_INVALID = 2


@click.group("playbook")
def command() -> None:
    """List incident playbooks and validate playbook files."""


@command.command("list")
@click.option("--playbooks", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Your own playbooks, listed with (and over) the shipped ones.")  # fmt: skip
@global_options
@click.pass_context
def list_cmd(ctx: click.Context, playbooks: Path | None) -> None:
    """List the playbooks: id, version, incident types, steps and file.

    Example: keyvigil playbook list
    """
    rows = []
    for playbook_id, path in playbook_files(playbooks).items():
        book = load_playbook(path, playbooks).playbook
        rows.append((playbook_id, book.version, ",".join(book.incident_types), len(book.steps),
                     book.title, str(path)))  # fmt: skip
    if app(ctx).json:
        keys = ("id", "version", "incident_types", "steps", "title", "path")
        print_json([dict(zip(keys, row, strict=True)) for row in rows])
        return
    print_table(["id", "version", "types", "steps", "title", "file"], rows)


@command.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--playbooks", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Playbooks that includes may name (besides the shipped ones).")  # fmt: skip
@global_options
@click.pass_context
def validate_cmd(ctx: click.Context, files: tuple[Path, ...], playbooks: Path | None) -> None:
    """Check playbook FILEs; print every problem as FILE:LINE: YAML.PATH: what is wrong.

    Exit 2 when any file has a problem. Example: keyvigil playbook validate my-playbook.yaml
    """
    bad = 0
    for path in files:
        try:
            loaded = load_playbook(path, playbooks)
        except PlaybookProblems as exc:
            bad += 1
            for problem in exc.problems:
                click.echo(problem, err=True)
            continue
        click.echo(
            f"{path}: valid ({len(loaded.playbook.steps)} steps, sha256 {loaded.sha256[:12]})"
        )
    if bad:
        ctx.exit(EXIT_INVALID)
