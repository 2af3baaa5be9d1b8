"""Where each loaded row is in its file: the lines of each file that gave no row.

A row numbered n by the rows read (its ordinal plus a header, or a reader's own number counted
the same way) is on line n plus the count of such lines before it. They are the lines the scan
rejected, blank lines, and lines that continue a quoted CSV field; the last two are found by a
pass over the file (``blank``), made when a line number is first wanted.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from toolkit.analytics.duck.readers.blank import BlankPlan, FileLines, blank_lines


def before(lines: Sequence[int]) -> list[int]:
    """For each of these lines, in order, the lines before it that are not among them."""
    return [line - k for k, line in enumerate(sorted(set(lines)), 1)]


def shift(number: int, read_before: Sequence[int]) -> int:
    """The line of the row numbered ``number``, given ``before`` of the lines without a row."""
    return number + bisect_left(read_before, number)


class LineBook:
    """Per file id: the lines that gave no row, and so each row's line."""

    def __init__(self, plans: Sequence[BlankPlan] = ()) -> None:
        """A book for files scanned by ``plans`` (one per file id, in order)."""
        self.plans = list(plans)
        self.rejected: dict[int, list[int]] = {}  # lines the scan rejected, as DuckDB counts
        self._found: dict[int, FileLines] = {}  # each file's pass, once made
        self._continued: dict[int, list[int]] = {}  # ``before`` of its continued lines
        self._read_through: set[int] = set()  # files without a rule read through (``checked``)

    def reject(self, file_id: int, line: int) -> int | None:
        """Note a line the scan rejected, numbered as DuckDB's CSV reader numbers lines (a
        quoted line break not counted); return its line in the file (None: unknown)."""
        self.rejected.setdefault(file_id, []).append(line)
        return self._in_file(file_id, [line])[0]

    def _in_file(self, file_id: int, lines: Sequence[int]) -> list[int | None]:
        """DuckDB's numbers of some lines of a file as the file's own (past the quoted line
        breaks before each: the lines they begin continue the row before); None if unknown."""
        plan = self.plans[file_id] if file_id < len(self.plans) else None
        if plan is None or plan.rule is None or not plan.rule.quoted:
            return list(lines)
        if not self.found(file_id).whole:
            return [None for _ in lines]
        if file_id not in self._continued:
            self._continued[file_id] = before(self.found(file_id).continued)
        return [shift(line, self._continued[file_id]) for line in lines]

    def found(self, file_id: int) -> FileLines:
        """The file's blank and continued lines (the pass over it is made on first need)."""
        if file_id not in self._found:
            self._found[file_id] = blank_lines(self.plans[file_id])
        return self._found[file_id]

    def checked(self, file_id: int) -> FileLines:
        """``found``, with a gzip file whose lines are not looked for read through all the
        same (a Vault log numbers its own lines): its checksum tells whether it is damaged."""
        plan = self.plans[file_id]
        if plan.rule is None and plan.gzipped and file_id not in self._read_through:
            self._read_through.add(file_id)
            self._found[file_id] = blank_lines(plan, verify=True)
        return self.found(file_id)

    def may_skip(self) -> bool:
        """Whether some line may have given no row (rejected, or found by a pass)."""
        return bool(self.rejected) or any(p.rule is not None for p in self.plans)

    def read_before(self) -> list[list[int] | None]:
        """Per file id, ``before`` of its lines that gave no row (each row's line is then
        ``shift`` of its number; None: unknown, the file is no longer what was loaded): the
        passes over the files are made now."""
        return [self._read_before(i) for i in range(len(self.plans))]

    def _read_before(self, file_id: int) -> list[int] | None:
        """``read_before`` of one file."""
        found = self.found(file_id)
        rejected = self._in_file(file_id, self.rejected.get(file_id, []))
        if not found.whole:
            return None
        return before([*(r for r in rejected if r is not None), *found.blank, *found.continued])
