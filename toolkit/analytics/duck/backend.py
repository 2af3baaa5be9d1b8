"""The DuckDB log backend: one in-memory DuckDB connection holding the loaded events."""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import duckdb

from toolkit.analytics.duck import lines
from toolkit.analytics.duck.activity import key_activity
from toolkit.analytics.duck.analyse import analyse
from toolkit.analytics.duck.events import connect, has_details, load_events
from toolkit.analytics.duck.readers.files import duckdb_message, failed_file
from toolkit.analytics.duck.spill import make_spill_folder, remove_spill_folder
from toolkit.analytics.duck.trace import trace
from toolkit.analytics.evidence import EventTrace, KeyActivity
from toolkit.analytics.interface import Analysis, InventoryKey, LoadOptions, LoadReport
from toolkit.errors import IngestError
from toolkit.rules.interface import EventWindow
from toolkit.rules.settings import DetectionSettings


class DuckBackend:
    """Access logs read by DuckDB straight from their files, analysed as SQL.

    ``memory_limit`` and ``temp_dir`` bound memory (spilling to disk). Without ``temp_dir``,
    spill files go to a private folder made for this backend (``spill.make_spill_folder``)
    and removed when it closes, or when it is collected unclosed. By default Parquet is
    queried where it is and other formats are copied into a table once; ``materialize=True``
    copies Parquet too, ``materialize=False`` leaves every file where it is (text formats are
    then parsed again by each query, and JSON Lines and CSV rows have no line numbers) unless
    a record must be changed (a NUL to mark, a repeated delivery to skip: docs/logs.md).
    """

    name = "duckdb"

    def __init__(
        self,
        memory_limit: str | None = None,
        temp_dir: Path | None = None,
        threads: int | None = None,
        materialize: bool | None = None,
    ) -> None:
        """Open the connection (in UTC) with the given limits."""
        self.spill = make_spill_folder() if temp_dir is None else None
        self._spill_removal = (
            weakref.finalize(self, remove_spill_folder, self.spill) if self.spill else None
        )
        self.con = connect(memory_limit, temp_dir or self.spill, threads)
        self.materialize = materialize
        self.formats: dict[str, str] = {}
        self.loaded: tuple[tuple[str | Path, ...], LoadOptions] | None = None

    def load(self, paths: Sequence[str | Path], options: LoadOptions) -> LoadReport:
        """Read the logs into the ``events`` relation."""
        report = load_events(
            self.con,
            paths,
            options.log_format,
            options.skip_bad_records,
            self.materialize,
            assume_tz=options.assume_tz,
            details=options.details,
            settle=False,  # line numbers are settled when first needed: detections need none
        )
        self.formats = report.formats
        self.loaded = (tuple(paths), options)
        return report

    def analyse(
        self,
        keys: Sequence[InventoryKey],
        settings: DetectionSettings,
        as_of: datetime,
        period_start: datetime | None = None,
    ) -> Analysis:
        """Every log check, usage and the daily series over the loaded events."""
        with reading(self.formats):
            return analyse(self.con, keys, settings, as_of, period_start)

    def key_activity(
        self,
        key_ids: Sequence[str],
        start: datetime,
        end: datetime,
        source_ips: Sequence[str] | None = None,
    ) -> KeyActivity:
        """Every event of ``key_ids`` in ``[start, end]``, and other keys from the same IPs.

        After a thin load, the logs are read once more with every column (same events).
        """
        if self.loaded is not None and not has_details(self.con):
            paths, options = self.loaded
            self.load(paths, replace(options, details=True))
        with reading(self.formats):
            return key_activity(self.con, key_ids, start, end, source_ips)

    def trace(self, windows: Sequence[EventWindow]) -> dict[EventWindow, EventTrace]:
        """The loaded events of each window traced to their files, request ids and addresses."""
        with reading(self.formats):
            lines.settle(self.con)
            return trace(self.con, windows, self.formats)

    def interrupt(self) -> None:
        """Stop the statement running on another thread (DuckDB raises an interrupt there)."""
        self.con.interrupt()

    def close(self) -> None:
        """Close the connection (its memory and spill files go with it, and the spill folder
        made for it)."""
        self.con.close()
        if self._spill_removal is not None:
            self._spill_removal()


@contextmanager
def reading(paths: Iterable[str]) -> Iterator[None]:
    """A loaded file that fails to read in a query after its load is bad input, named as a load
    names it: Parquet is read where it is, and a damaged page of a column the load did not need
    is met only by the query that reads it (as is a file removed or rewritten since)."""
    try:
        yield
    except (duckdb.InvalidInputException, duckdb.IOException) as exc:
        path = failed_file(exc, paths)
        if path is None:
            raise
        raise IngestError(path, f"cannot be read: {duckdb_message(exc)}") from None
