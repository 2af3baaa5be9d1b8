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

import numpy as np

PIECE_BYTES = 1 << 22  # read 4 MiB at a time: each piece is searched while in the CPU cache
QUOTE = 34  # '"'


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
    changed since the load): its lines are then unknown."""

    blank: tuple[int, ...] = ()
    continued: tuple[int, ...] = ()
    whole: bool = True


class LineScan:
    """The lines of one file that begin no row, fed its bytes a piece at a time."""

    def __init__(self, rule: LineRule) -> None:
        """A scan by ``rule``."""
        self.spaces, self.quoted = rule.spaces, rule.quoted
        self.table = np.zeros(256, dtype=bool)  # which byte values are spaces (or a newline)
        self.table[list(self.spaces + b"\n")] = True
        self.top = max(self.spaces + b"\n")  # no byte above it can begin a blank line
        self.newline = np.empty(PIECE_BYTES, dtype=bool)  # reused: fresh arrays cost more
        self.low = np.empty(PIECE_BYTES, dtype=bool)
        self.blank: list[int] = []
        self.continued: list[int] = []
        self.lines = 0  # newlines before the piece being read
        self.open_blank = True  # the line the last piece ended in holds only spaces so far
        self.in_quotes = 0  # 1 when the last piece ended inside a quoted field

    def feed(self, piece: bytes) -> None:
        """Record the lines ending in ``piece`` that begin no row; carry the open line's state.

        Most pieces have no line that may be blank (none follows a newline with a byte as low
        as a space) and no quote: they are only counted, which costs a third of finding every
        newline.
        """
        data = np.frombuffer(piece, dtype=np.uint8)
        newline, low = self.newline[: len(data)], self.low[: len(data) - 1]
        np.equal(data, 10, out=newline)
        np.less_equal(data[1:], self.top, out=low)
        quoted = self.quoted and (self.in_quotes or piece.find(b'"') >= 0)
        if not (self.open_blank or quoted or np.logical_and(newline[:-1], low, out=low).any()):
            self.lines += int(np.count_nonzero(newline))
            last = piece.rfind(b"\n")
            self.open_blank = last >= 0 and not piece[last + 1 :].strip(self.spaces)
            return
        ends = np.flatnonzero(newline)
        inside = self._quoted_breaks(data, ends) if quoted else np.zeros(len(ends), dtype=bool)
        self._feed_lines(piece, data, ends, inside)

    def _quoted_breaks(self, data: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Which of the piece's newlines are inside a quoted field (by the parity of the quotes
        before each: a doubled quote, the escape, changes nothing); the lines after them
        continue a row."""
        quotes = np.flatnonzero(data == QUOTE)
        inside = ((np.searchsorted(quotes, ends) + self.in_quotes) & 1).astype(bool)
        self.continued.extend((self.lines + np.flatnonzero(inside) + 2).tolist())
        self.in_quotes = (len(quotes) + self.in_quotes) & 1
        return inside

    def _feed_lines(
        self, piece: bytes, data: np.ndarray, ends: np.ndarray, inside: np.ndarray
    ) -> None:
        """``feed`` for a piece that may hold a blank line or a quote, newline by newline."""
        if not len(ends):
            self.open_blank = self.open_blank and not piece.strip(self.spaces)
            return
        if self.open_blank and not piece[: ends[0]].strip(self.spaces):
            self.blank.append(self.lines + 1)
        starts = ends[:-1] + 1  # the lines begun and ended in this piece
        # a blank line begins and ends with a space, or is empty (it ends where it begins),
        # and does not continue a quoted field
        maybe = self.table[data[starts]] & self.table[data[ends[1:] - 1]] & ~inside[:-1]
        empty = maybe & (starts == ends[1:])  # blank for certain, without a look
        self.blank.extend((self.lines + np.flatnonzero(empty) + 2).tolist())
        for j in np.flatnonzero(maybe & ~empty):
            if not piece[starts[j] : ends[j + 1]].strip(self.spaces):
                self.blank.append(self.lines + int(j) + 2)
        self.open_blank = not inside[-1] and not piece[ends[-1] + 1 :].strip(self.spaces)
        self.lines += len(ends)


def pieces(path: str, gzipped: bool) -> Iterator[bytes]:
    """A file's bytes (decompressed) a piece at a time."""
    opener = gzip.open if gzipped else open
    with opener(path, "rb") as handle:
        while piece := handle.read(PIECE_BYTES):
            yield piece


def blank_lines(plan: BlankPlan) -> FileLines:
    """A file's lines that begin no row by its plan's rule (not ``whole`` if the file is not
    as it was loaded: changed, removed, or its gzip stream cut)."""
    if plan.rule is None:
        return FileLines()
    if seen(plan.path) != plan.seen:
        return FileLines(whole=False)
    scan = LineScan(plan.rule)
    try:
        for piece in pieces(plan.path, plan.gzipped):
            scan.feed(piece)
    except (OSError, EOFError, zlib.error):
        return FileLines(whole=False)
    if seen(plan.path) != plan.seen:  # changed while it was read
        return FileLines(whole=False)
    return FileLines(tuple(sorted(scan.blank)), tuple(scan.continued))
