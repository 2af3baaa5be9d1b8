"""``keyvigil alerts``: Evaluate the seed's alert thresholds over access logs."""

from __future__ import annotations

import click


@click.command("alerts")
def command() -> None:
    """Evaluate the seed's alert thresholds over access logs."""
