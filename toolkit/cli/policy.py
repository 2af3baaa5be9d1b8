"""``keyvigil policy``: show the effective policy, or write a commented copy to edit."""

from __future__ import annotations

from pathlib import Path

import click
import yaml

from toolkit.cli.options import app, global_options
from toolkit.cli.output import note, print_json
from toolkit.rules.policy import commented_template, load_policy, write_template


@click.group("policy")
def command() -> None:
    """Show or initialise the policy that sets every threshold."""


@command.command("show")
@global_options
@click.pass_context
def show_cmd(ctx: click.Context) -> None:
    """Print the effective policy (defaults merged with --policy FILE) as YAML, or --json.

    Example: keyvigil policy show --policy policy.yaml
    """
    path = app(ctx).policy_path()
    policy = load_policy(path)
    if app(ctx).json:
        print_json(
            {
                "source": str(path) if path else None,
                "digest": policy.digest(),
                "policy": policy.effective(),
            }
        )
        return
    click.echo(f"# effective policy from {path or 'the built-in defaults'}")
    click.echo(f"# digest sha256:{policy.digest()}")
    click.echo(yaml.safe_dump(policy.effective(), sort_keys=False, allow_unicode=True), nl=False)


@command.command("init")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@global_options
@click.pass_context
def init_cmd(ctx: click.Context, file: Path | None, force: bool) -> None:
    """Write the default policy, commented with where each number comes from.

    Without FILE the policy is printed to stdout. Example: keyvigil policy init policy.yaml
    """
    if file is None:
        click.echo(commented_template(), nl=False)
        return
    write_template(file, force=force)
    note(f"wrote {file}; edit it and pass --policy {file} (or set KEYVIGIL_POLICY)")
