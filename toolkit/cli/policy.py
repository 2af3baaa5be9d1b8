"""``keyvigil policy``: Show or initialise the policy that sets every threshold."""

from __future__ import annotations

import click


@click.group("policy")
def command() -> None:
    """Show or initialise the policy that sets every threshold."""
