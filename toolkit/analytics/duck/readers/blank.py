"""Which lines of a text log begin no row: DuckDB's JSON and CSV readers skip blank lines, and a
CSV row may run over several lines (a line break in a quoted field), so a row's ordinal is its
line only once those lines are counted back in.

The files are read once more for this, when a line number is first asked for (a trace, a check's
examples, a bad record), never by a run that only detects. The newlines are counted with numpy a
piece at a time; only a piece where a newline is followed by a byte as low as a space (for CSV,
also one holding a quote) is read line by line, and only a line that begins and ends with a
space (or is empty) is looked at whole. A file without blank lines costs about 0.55 CPU s per
1.8 GB (gzip: its decompression, about 0.26 s per 180 MB). Read beside the load on a thread
instead, even at the lowest priority, the pass slowed a 10M-event load by 0.3 s of its 5 s.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

PIECE_BYTES = 1 << 22  # read 4 MiB at a time: each piece is searched while in the CPU cache


@dataclass(frozen=True)
class LineRule:
    """How a reader's scan turns lines into rows: a line of nothing but ``spaces`` (or an empty
    one) gives none, and, when ``quoted``, a line break inside a double-quoted field does not
    end the row (CSV): the lines after it continue the row begun before."""

    spaces: bytes
    quoted: bool = False


JSON_LINES = LineRule(b" \t\r\x0b\x0c")
"""DuckDB's JSON readers: a line of nothing but these bytes is skipped."""
CSV_LINES = LineRule(b"\r", quoted=True)
"""DuckDB's CSV reader: an empty line (with CRLF endings, its carriage return) is skipped, a line
of spaces is a row (a bad one), and a quoted field may hold line breaks."""


@dataclass(frozen=True)
class BlankPlan:
    """One file to scan: where it is, whether it is gzip, and how its lines give rows (None: no
    scan, its lines all give rows or carry their own numbers); ``seen``, the file's size and
    modification time when it was loaded (a file changed since cannot be numbered by it)."""

    path: str
    gzipped: bool
    rule: LineRule | None
    seen: tuple[int, int] | None = None


def seen(path: str) -> tuple[int, int] | None:
    """A file's size and modification time (ns), to tell later whether it changed."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


@dataclass(frozen=True)
class FileLines:
    """A file's lines that begin no row: blank ones, and ones that continue a quoted field.
    ``whole`` is False when the file could not be read to its end again (it was removed or
    changed since the load, or is damaged: ``damage``): its lines are then unknown."""

    blank: tuple[int, ...] = ()
    continued: tuple[int, ...] = ()
    whole: bool = True
    damage: str | None = None  # why it could not be read to its end, when it is damaged


READ_ERRORS = (OSError, EOFError, zlib.error)
"""What reading a file, plain or gzip, may raise (a gzip stream cut short, or damaged)."""


def read_failure(exc: BaseException) -> str:
    """What stopped a read of a file, plain or gzip, in words (none of its content)."""
    if isinstance(exc, EOFError):
        return "the gzip stream ends early (cut short?)"
    if isinstance(exc, gzip.BadGzipFile) and str(exc).startswith("Not a gzipped file"):
        return "not a gzip stream after its gzip magic"  # (its message quotes two bytes)
    if isinstance(exc, (gzip.BadGzipFile, zlib.error)):  # "CRC check failed 0x.. != 0x..",
        return f"damaged gzip data ({exc})"  # "Error -3 while decompressing data: ..."
    return str(getattr(exc, "strerror", None) or exc.__class__.__name__)


def pieces(path: str, gzipped: bool) -> Iterator[bytes]:
    """A file's bytes (decompressed) a piece at a time."""
    opener = gzip.open if gzipped else open
    with opener(path, "rb") as handle:
        while piece := handle.read(PIECE_BYTES):
            yield piece


def blank_lines(plan: BlankPlan, verify: bool = False) -> FileLines:
    """A file's lines that begin no row by its plan's rule (not ``whole`` if the file is not
    as it was loaded: changed or removed; or damaged, and then ``damage`` says how). With
    ``verify``, a gzip file without a rule is read through all the same, for the damage its
    checksum shows (DuckDB does not check it)."""
    if plan.rule is None and not (verify and plan.gzipped):
        return FileLines()
    if seen(plan.path) != plan.seen:
        return FileLines(whole=False)
    scan = None
    if plan.rule is not None:
        # numpy only when a pass is made: its import slowed every run, a 10M Parquet suite by 4%
        from toolkit.analytics.duck.readers.linescan import LineScan  # numpy: 50 ms to import

        scan = LineScan(plan.rule, PIECE_BYTES)
    damage = None
    try:
        for piece in pieces(plan.path, plan.gzipped):
            if scan is not None:
                scan.feed(piece)
    except READ_ERRORS as exc:
        damage = read_failure(exc)
    if seen(plan.path) != plan.seen:  # changed or removed while it was read
        return FileLines(whole=False)
    if damage is not None:  # unchanged since the load, and damaged (DuckDB read on through it)
        return FileLines(whole=False, damage=damage)
    if scan is None:
        return FileLines()
    return FileLines(tuple(sorted(scan.blank)), tuple(scan.continued))
