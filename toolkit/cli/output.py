"""Printing results: JSON for scripts, aligned tables for people, summaries to stderr."""

from __future__ import annotations

import io
import json
import shutil
import sys
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import click

from toolkit.timeutil import isoformat

_CONTROLS = [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x061C, 0x200E, 0x200F, 0x2028, 0x2029]
_CONTROLS += [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_ESCAPE_ALL = {code: f"\\u{code:04x}" for code in _CONTROLS}
"""Control characters (C0, DEL, C1), bidirectional overrides and line separators, each to a
visible ``\\uXXXX`` (valid inside a JSON string too)."""
_ESCAPE_IN_STREAM = {c: e for c, e in _ESCAPE_ALL.items() if c not in (0x09, 0x0A)}


def visible(text: str) -> str:
    """Text with every control character shown as ``\\uXXXX``: a value can neither move the
    cursor, recolour or retitle the terminal, nor start a line of its own."""
    return text.translate(_ESCAPE_ALL)


class VisibleStream(io.TextIOBase):
    """A text stream that writes control characters visibly (tabs and line ends pass)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def write(self, text: str) -> int:
        """Write ``text`` with its control characters escaped."""
        self._inner.write(text.translate(_ESCAPE_IN_STREAM))
        return len(text)

    def writable(self) -> bool:
        """Always writable."""
        return True

    def flush(self) -> None:
        """Flush the stream underneath."""
        self._inner.flush()

    def isatty(self) -> bool:
        """Whether the stream underneath is a terminal."""
        return bool(self._inner.isatty())

    def fileno(self) -> int:
        """The file descriptor underneath."""
        return int(self._inner.fileno())

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """The encoding underneath."""
        return str(getattr(self._inner, "encoding", None) or "utf-8")


@contextmanager
def visible_stdout() -> Iterator[None]:
    """Route everything a command prints to stdout through ``VisibleStream``."""
    inner = sys.stdout
    sys.stdout = VisibleStream(inner)
    try:
        yield
    finally:
        sys.stdout = inner


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


def dumps_with(value: dict[str, Any], key: str, text: str) -> str:
    """``dumps`` of ``value`` with ``key`` set to the JSON ``text`` (written as ``dumps`` writes
    it: a stored result document's canonical bytes are), set in without parsing it: reading a
    100,000-key document back and writing it out again took 12 s."""
    items = sorted({**value, key: None}.items())
    parts = [
        f"  {json.dumps(name, ensure_ascii=False)}: "
        + (text.rstrip("\n") if name == key else dumps(item)).replace("\n", "\n  ")
        for name, item in items
    ]
    return "{\n" + ",\n".join(parts) + "\n}"


def cell(value: Any) -> str:
    """A table cell's text."""
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return isoformat(value) or "-"
    if isinstance(value, list | tuple):
        return visible(",".join(str(v) for v in value)) or "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return visible(str(value))


MIN_WRAPPED = 24
"""The narrowest a wrapped column is made, however narrow the terminal."""


def terminal_width() -> int | None:
    """The width to fit tables to when stdout is a terminal: ``COLUMNS`` if set, else the
    terminal's own. None into a file or a pipe: each row then stays on one line, for grep."""
    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns  # reads COLUMNS first


def _fit(widths: list[int], wrapped: list[int], width: int | None) -> list[int]:
    """Column widths with the ``wrapped`` columns narrowed, the widest first, until the table
    fits ``width`` (two spaces between columns) or each is down to MIN_WRAPPED."""
    if width is None or not wrapped:
        return widths
    fitted = list(widths)
    excess = sum(fitted) + 2 * (len(fitted) - 1) - width
    while excess > 0:
        widest = max(wrapped, key=lambda i: fitted[i])
        if fitted[widest] <= MIN_WRAPPED:
            break
        fitted[widest] -= 1
        excess -= 1
    return fitted


def _lines(row: list[str], widths: list[int]) -> Iterator[str]:
    """A row's printed lines: a cell longer than its column is wrapped at spaces (or broken)
    and continues on the next lines, the other columns left blank there."""
    cells = [textwrap.wrap(c, w, break_on_hyphens=False) or [""] if len(c) > w else [c]
             for c, w in zip(row, widths, strict=True)]  # fmt: skip
    for n in range(max(len(c) for c in cells)):
        parts = [(c[n] if n < len(c) else "").ljust(w) for c, w in zip(cells, widths, strict=True)]
        yield "  ".join(parts).rstrip()


def print_table(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], wrap: Sequence[str] = ()
) -> None:
    """Write a plain aligned table to stdout.

    On a terminal a table wider than it has its ``wrap`` columns (long free text: messages,
    details) wrapped onto more lines until it fits; into a file or a pipe every row stays one
    line.
    """
    texts = [[cell(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in texts:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    wrapped = [i for i, h in enumerate(headers) if h in wrap]
    widths = _fit(widths, wrapped, terminal_width())
    lines = ["  ".join(h.upper().ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines += [line for row in texts for line in _lines(row, widths)]
    click.echo("\n".join(lines))  # one write: click looks at the stream on every echo


def note(message: str) -> None:
    """A remark for the person at the terminal (stderr, so stdout stays machine-readable); its
    control characters are shown visibly, line ends kept."""
    click.echo(message.translate(_ESCAPE_IN_STREAM), err=True)
