"""``keyvigil inventory``: import, list and show keys."""

from __future__ import annotations

import click


@click.group("inventory")
def command() -> None:
    """Import key inventories and look at the keys keyvigil knows."""
