"""The pass that finds a text log's lines that begin no row (see ``blank``), with numpy: the
newlines of a piece are counted or found a few vector operations at a time."""

from __future__ import annotations

import numpy as np

from toolkit.analytics.duck.readers.blank import LineRule

QUOTE = 34  # '"'


class LineScan:
    """The lines of one file that begin no row, fed its bytes a piece at a time."""

    def __init__(self, rule: LineRule, piece_bytes: int) -> None:
        """A scan by ``rule`` of pieces of at most ``piece_bytes``."""
        self.spaces, self.quoted = rule.spaces, rule.quoted
        self.table = np.zeros(256, dtype=bool)  # which byte values are spaces (or a newline)
        self.table[list(self.spaces + b"\n")] = True
        self.top = max(self.spaces + b"\n")  # no byte above it can begin a blank line
        self.newline = np.empty(piece_bytes, dtype=bool)  # reused: fresh arrays cost more
        self.low = np.empty(piece_bytes, dtype=bool)
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
