"""``keyvigil audit``: Run quarterly audits and look at, compare and report on them."""

from __future__ import annotations

import click


@click.group("audit")
def command() -> None:
    """Run quarterly audits and look at, compare and report on them."""
