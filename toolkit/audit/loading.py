"""Reading an audit's inputs: the access logs loaded on worker threads beside the inventories.

The log load (the log engine's work) and the log files' SHA-256 run on two worker threads
beside the inventory parse, the import and the read of the keys back: the engine and
``hashlib`` work outside Python's interpreter lock. Errors keep the order the inputs are given
in: inventory files (a failed parse stops the load), then the logs, then the import, then the
scan-results file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from toolkit.analytics import open_backend
from toolkit.analytics.interface import LoadReport, LogBackend
from toolkit.audit import inputs as inp
from toolkit.audit.request import AuditRequest
from toolkit.audit.result import InputFile
from toolkit.ingest.inventory.importer import FileSummary, ParsedFile, parse_inventory
from toolkit.ingest.inventory.interface import ReadOptions
from toolkit.scan.results import ScanResults, load_scan_results
from toolkit.timeutil import resolve_zone


@dataclass
class Loaded:
    """The inputs read: the inventory files' summaries, the loaded logs, the scan results."""

    inventories: list[FileSummary]
    backend: LogBackend | None
    log_records: list[InputFile]
    log_report: LoadReport | None
    log_start: datetime | None
    scan: ScanResults | None
    scan_records: list[InputFile]
    release: Callable[[], None]
    """Free the log engine once its analysis is done (its memory goes before the document)."""
    shown: dict[str, str] = field(default_factory=dict)
    """Log file path -> its path as shown: relative to the file or folder given."""


@dataclass(frozen=True)
class LogInputs:
    """The access logs as loaded: the engine's report and the files' input records."""

    report: LoadReport
    records: list[InputFile]
    shown: dict[str, str]


def parse_inventories(request: AuditRequest) -> list[ParsedFile]:
    """Every inventory file of the request, read and checked (nothing stored)."""
    options = ReadOptions(assume_tz=resolve_zone(request.assume_tz))
    return [parse_inventory(p, options, request.inventory_format) for p in request.inventories]


Digests = dict[str, "Future[str]"]
"""Real path of a log file -> its SHA-256, worked out beside the load."""


def read_logs(backend: LogBackend, request: AuditRequest, digests: Digests) -> LogInputs:
    """Load the request's access logs into ``backend``; each file's SHA-256 from ``digests``
    when it was started beside the load (files named as such), else worked out now (files a
    glob or folder matched)."""
    report = inp.load_logs(
        backend, request.logs, request.log_format, request.skip_bad_records, request.assume_tz
    )

    def sha256(path: Path) -> str:
        """The file's SHA-256, from the early start if there was one."""
        early = digests.get(os.path.realpath(path))
        return early.result() if early is not None else inp.file_sha256(path)

    shown = inp.shown_paths([f.path for f in report.files], request.logs)
    return LogInputs(report, inp.log_inputs(report, shown, sha256), shown)


class PendingLogs:
    """The log load of a request, running on a worker thread until ``wait``; the SHA-256 of
    each log file named as such runs on a second one meanwhile (both work outside Python's
    interpreter lock)."""

    def __init__(self, pool: ThreadPoolExecutor, request: AuditRequest) -> None:
        """Open the log engine and start loading (no logs requested: nothing runs)."""
        self.backend = open_backend() if request.logs else None
        self.future: Future[LogInputs] | None = None
        self.digests: Digests = {}
        self.closed = False
        if self.backend is not None:
            files = [Path(p) for p in request.logs if Path(p).is_file()]  # a FIFO is no file
            self.future = pool.submit(read_logs, self.backend, request, self.digests)
            for path in files:  # submitted after the load: it takes the first worker
                self.digests[os.path.realpath(path)] = pool.submit(inp.file_sha256, path)

    def wait(self) -> LogInputs | None:
        """The loaded logs (None without logs); the load's own error is raised here."""
        return self.future.result() if self.future is not None else None

    @contextmanager
    def before(self) -> Iterator[None]:
        """Work beside the load whose error, if any, comes before the load's: the load is then
        stopped (its statements interrupted) and its own outcome dropped."""
        try:
            yield
        except BaseException:
            self.abandon()
            raise

    def abandon(self) -> None:
        """Stop the load and wait for its thread (an earlier input failed: it is not wanted)."""
        if self.future is None or self.backend is None:
            return
        while not self.future.done():  # between statements an interrupt finds nothing to stop
            self.backend.interrupt()
            wait([self.future], timeout=0.05)
        self.future.exception()  # retrieved, so that it is not reported as never seen

    @contextmanager
    def first(self) -> Iterator[None]:
        """Work beside the load whose error, if any, comes after the load's own error."""
        try:
            yield
        except BaseException:
            self.wait()  # a failed log load is reported first, as when logs loaded first
            raise

    def close(self) -> None:
        """Free the log engine (after the load has finished); later calls do nothing."""
        if self.backend is not None and not self.closed:
            self.closed = True
            self.backend.close()


@contextmanager
def logs_loading(request: AuditRequest) -> Iterator[PendingLogs]:
    """Start the request's log load on a worker thread; on leaving, wait for it and free it."""
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="keyvigil-logs") as pool:
        pending = PendingLogs(pool, request)
        try:
            yield pending
        finally:
            for digest in pending.digests.values():
                digest.cancel()  # digests not started are not needed any more
            if pending.future is not None:
                pending.future.exception()  # wait for the worker before the engine is freed
            pending.close()


def finish_inputs(
    request: AuditRequest, inventories: list[FileSummary], pending: PendingLogs
) -> Loaded:
    """Wait for the logs, then read the scan-results file (a folder is scanned later)."""
    logs = pending.wait()
    scan_file = request.scan if request.scan and not request.scan.is_dir() else None
    scan = load_scan_results(scan_file) if scan_file else None
    scan_records = [inp.scan_input(scan_file, len(scan.findings))] if scan_file and scan else []
    return Loaded(
        inventories=inventories,
        backend=pending.backend,
        log_records=logs.records if logs else [],
        log_report=logs.report if logs else None,
        log_start=logs.report.min_ts if logs else None,
        scan=scan,
        scan_records=scan_records,
        release=pending.close,
        shown=logs.shown if logs else {},
    )
