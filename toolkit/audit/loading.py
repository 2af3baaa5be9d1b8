"""Reading an audit's inputs: inventories parsed first, the access logs loaded on a worker thread.

The log load (the log engine's work, with the files' SHA-256) runs beside the inventory import
and the read of the keys back: both wait on different things (the engine and ``hashlib`` work
outside Python's interpreter lock). Errors keep the order the inputs are given in: inventory
files, then the logs, then the import, then the scan-results file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from toolkit.analytics import open_backend
from toolkit.analytics.interface import LoadReport, LogBackend
from toolkit.audit import inputs as inp
from toolkit.audit.request import AuditRequest
from toolkit.ingest.inventory.importer import FileSummary, ParsedFile, parse_inventory
from toolkit.ingest.inventory.interface import ReadOptions
from toolkit.scan.results import ScanResults, load_scan_results
from toolkit.timeutil import resolve_zone


@dataclass
class Loaded:
    """The inputs read: the inventory files' summaries, the loaded logs, the scan results."""

    inventories: list[FileSummary]
    backend: LogBackend | None
    log_records: list[dict[str, Any]]
    log_report: LoadReport | None
    log_start: datetime | None
    scan: ScanResults | None
    scan_records: list[dict[str, Any]]
    release: Callable[[], None]
    """Free the log engine once its analysis is done (its memory goes before the document)."""


@dataclass(frozen=True)
class LogInputs:
    """The access logs as loaded: the engine's report and the files' input records."""

    report: LoadReport
    records: list[dict[str, Any]]


def parse_inventories(request: AuditRequest) -> list[ParsedFile]:
    """Every inventory file of the request, read and checked (nothing stored)."""
    options = ReadOptions(assume_tz=resolve_zone(request.assume_tz))
    return [parse_inventory(p, options, request.inventory_format) for p in request.inventories]


def read_logs(backend: LogBackend, request: AuditRequest) -> LogInputs:
    """Load the request's access logs into ``backend`` and hash the files read."""
    report = inp.load_logs(
        backend, request.logs, request.log_format, request.skip_bad_records, request.assume_tz
    )
    return LogInputs(report, inp.log_inputs(report))


class PendingLogs:
    """The log load of a request, running on a worker thread until ``wait``."""

    def __init__(self, pool: ThreadPoolExecutor, request: AuditRequest) -> None:
        """Open the log engine and start loading (no logs requested: nothing runs)."""
        self.backend = open_backend() if request.logs else None
        self.future: Future[LogInputs] | None = None
        self.closed = False
        if self.backend is not None:
            self.future = pool.submit(read_logs, self.backend, request)

    def wait(self) -> LogInputs | None:
        """The loaded logs (None without logs); the load's own error is raised here."""
        return self.future.result() if self.future is not None else None

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
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="keyvigil-logs") as pool:
        pending = PendingLogs(pool, request)
        try:
            yield pending
        finally:
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
    )
