"""Command-line times beyond what date arithmetic holds are a usage error, not a crash."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from toolkit.cli import cli


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("9999-12-31T23:59:59-01:00", "timestamp out of range"),
        ("0001-01-01T00:00:00+01:00", "timestamp out of range"),
        ("9999-12-31", "out of range (years 1900 to 8999)"),
        ("1850-06-01", "out of range (years 1900 to 8999)"),
    ],
)
def test_as_of_out_of_range_is_exit_2(runner: CliRunner, value: str, reason: str) -> None:
    """--as-of at the edges of the calendar: one line, exit 2."""
    result = runner.invoke(cli, ["inventory", "list", "--as-of", value])
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: --as-of: {reason}\n"
