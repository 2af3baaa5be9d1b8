"""``keyvigil demo``: the full tour on bundled sample data."""

from __future__ import annotations

import click


@click.command("demo")
def command() -> None:
    """Run the main job on bundled sample data."""
