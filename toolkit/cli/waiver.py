"""``keyvigil waiver``: Add, list and revoke waivers (owned, justified, expiring exceptions)."""

from __future__ import annotations

import click


@click.group("waiver")
def command() -> None:
    """Add, list and revoke waivers (owned, justified, expiring exceptions)."""
