"""``keyvigil report``: Check that a report PDF is the one its audit run produced."""

from __future__ import annotations

import click


@click.group("report")
def command() -> None:
    """Check that a report PDF is the one its audit run produced."""
