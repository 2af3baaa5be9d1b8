"""Printing results: JSON for scripts, aligned tables for people, summaries to stderr."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import click

from toolkit.timeutil import isoformat


def _default(value: Any) -> Any:
    """JSON encoding for datetimes and other plain values."""
    if isinstance(value, datetime):
        return isoformat(value)
    return str(value)


def dumps(value: Any) -> str:
    """Stable, indented JSON."""
    return json.dumps(value, indent=2, sort_keys=True, default=_default, ensure_ascii=False)


def print_json(value: Any) -> None:
    """Write JSON to stdout."""
    click.echo(dumps(value))


def cell(value: Any) -> str:
    """A table cell's text."""
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return isoformat(value) or "-"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value) or "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def print_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write a plain aligned table to stdout."""
    texts = [[cell(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in texts:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    click.echo("  ".join(h.upper().ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for row in texts:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def note(message: str) -> None:
    """A remark for the person at the terminal (stderr, so stdout stays machine-readable)."""
    click.echo(message, err=True)
