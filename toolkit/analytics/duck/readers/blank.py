"""Which lines of a text log are blank: DuckDB's JSON and CSV readers skip them without a row, so
a row's ordinal is its line only once the blank lines before it are counted back in.

The files are read once more for this, when a line number is first asked for (a trace, a check's
examples, a bad record), never by a run that only detects. The newlines are counted with numpy a
piece at a time; only a piece where a newline is followed by a byte as low as a space is read
line by line, and only a line that begins and ends with a space (or is empty) is looked at
whole: a file without blank lines costs about 0.55 CPU s per 1.8 GB (gzip: its decompression,
about 0.26 s per 180 MB). Read beside the load on a thread instead, even at the lowest priority,
the pass slowed a 10M-event load by 0.3 s of its 5 s.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

PIECE_BYTES = 1 << 22  # read 4 MiB at a time: each piece is searched while in the CPU cache
JSON_BLANK = b" \t\r\x0b\x0c"
"""What DuckDB's JSON readers take for an empty line: nothing but these bytes."""
CSV_BLANK = b"\r"
"""What DuckDB's CSV reader skips: an empty line (with CRLF endings, its carriage return); a
line of spaces is a row (a bad one)."""


@dataclass(frozen=True)
class BlankPlan:
    """One file to scan: where it is, whether it is gzip, and what makes its lines blank
    (None: no scan, its lines all give rows or carry their own numbers)."""

    path: str
    gzipped: bool
    spaces: bytes | None


class LineScan:
    """The blank lines of one file, fed its bytes a piece at a time."""

    def __init__(self, spaces: bytes) -> None:
        """A scan for lines of nothing but ``spaces``."""
        self.spaces = spaces
        self.table = np.zeros(256, dtype=bool)  # which byte values are spaces (or a newline)
        self.table[list(spaces + b"\n")] = True
        self.top = max(spaces + b"\n")  # no byte above it can begin a blank line
        self.newline = np.empty(PIECE_BYTES, dtype=bool)  # reused: fresh arrays cost more
        self.low = np.empty(PIECE_BYTES, dtype=bool)
        self.blank: list[int] = []
        self.lines = 0  # newlines before the piece being read
        self.open_blank = True  # the line the last piece ended in holds only spaces so far

    def feed(self, piece: bytes) -> None:
        """Record the blank lines that end in ``piece``; carry the open line's state on.

        Most pieces have no line that may be blank (none follows a newline with a byte as low
        as a space): they are only counted, which costs a third of finding every newline.
        """
        data = np.frombuffer(piece, dtype=np.uint8)
        newline, low = self.newline[: len(data)], self.low[: len(data) - 1]
        np.equal(data, 10, out=newline)
        np.less_equal(data[1:], self.top, out=low)
        if not self.open_blank and not np.logical_and(newline[:-1], low, out=low).any():
            self.lines += int(np.count_nonzero(newline))
            last = piece.rfind(b"\n")
            self.open_blank = last >= 0 and not piece[last + 1 :].strip(self.spaces)
            return
        self._feed_lines(piece, data, np.flatnonzero(newline))

    def _feed_lines(self, piece: bytes, data: np.ndarray, ends: np.ndarray) -> None:
        """``feed`` for a piece that may hold a blank line, newline by newline."""
        if not len(ends):
            self.open_blank = self.open_blank and not piece.strip(self.spaces)
            return
        if self.open_blank and not piece[: ends[0]].strip(self.spaces):
            self.blank.append(self.lines + 1)
        starts = ends[:-1] + 1  # the lines begun and ended in this piece
        # a blank line begins and ends with a space, or is empty (it ends where it begins)
        maybe = self.table[data[starts]] & self.table[data[ends[1:] - 1]]
        for j in np.flatnonzero(maybe):
            if not piece[starts[j] : ends[j + 1]].strip(self.spaces):
                self.blank.append(self.lines + int(j) + 2)
        self.open_blank = not piece[ends[-1] + 1 :].strip(self.spaces)
        self.lines += len(ends)


def pieces(path: str, gzipped: bool) -> Iterator[bytes]:
    """A file's bytes (decompressed) a piece at a time."""
    opener = gzip.open if gzipped else open
    with opener(path, "rb") as handle:
        while piece := handle.read(PIECE_BYTES):
            yield piece


def blank_lines(plan: BlankPlan) -> list[int]:
    """The line numbers (from 1) of a file's lines of nothing but its plan's spaces (an empty
    line included); those before the bytes stop decompressing, if they do (a damaged gzip
    stream, which the load has named already)."""
    if plan.spaces is None:
        return []
    scan = LineScan(plan.spaces)
    try:
        for piece in pieces(plan.path, plan.gzipped):
            scan.feed(piece)
    except (OSError, EOFError, zlib.error):
        pass
    return scan.blank
