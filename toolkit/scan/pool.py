"""Spread the engine's work over every core: batches of files or texts to worker processes.

Workers are started by a fresh fork server (never forked from a process that has the engine's
Go runtime loaded); small scans run in this process. Workers return masked hits only.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from toolkit.scan.engine import scan_text
from toolkit.scan.interface import Hit, Location, ScanOptions
from toolkit.scan.reader import FileTask, read_text

PARALLEL_ABOVE = 8 * 1024 * 1024
"""Less work than this (bytes) is scanned in this process: starting workers (a fresh process
each, loading the engine's rules) costs about a second, more than scanning a few megabytes."""
BATCH = 32
"""Tasks per batch sent to a worker."""

_inventory: Collection[str] = frozenset()
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class TextTask:
    """A text to scan that is not a file on disk (a commit's added lines)."""

    text: str
    name: str
    location: Location
    lines: tuple[int, ...]
    commit: str


@dataclass(frozen=True)
class FilesOutcome:
    """Hits in the files read, and the files skipped (display name, reason)."""

    hits: tuple[Hit, ...]
    skipped: tuple[tuple[str, str], ...]
    skipped_logs: int


def _init(inventory: frozenset[str]) -> None:
    """Worker start-up: remember the inventory fingerprints."""
    global _inventory
    _inventory = inventory


def _file_batch(batch: list[FileTask], max_bytes: int) -> FilesOutcome:
    """Read and scan a batch of files."""
    hits: list[Hit] = []
    skipped: list[tuple[str, str]] = []
    logs = 0
    for task in batch:
        text, reason = read_text(task.path, max_bytes)
        if text is None:
            skipped.append((task.name, reason))
            logs += task.location == "logs"
            continue
        hits.extend(scan_text(text, task.name, task.location, _inventory))
    return FilesOutcome(tuple(hits), tuple(skipped), logs)


def _text_batch(batch: list[TextTask], _max_bytes: int) -> list[tuple[str, list[Hit]]]:
    """Scan a batch of texts; (commit, hits) per text."""
    return [(t.commit, scan_text(t.text, t.name, t.location, _inventory, t.lines)) for t in batch]


def workers(options: ScanOptions, size: int) -> int:
    """How many processes: ``options.workers``, else every core; 1 for small scans."""
    if options.workers is not None:
        return max(options.workers, 1)
    return 1 if size < PARALLEL_ABOVE else os.cpu_count() or 1


def _run(
    batch_fn: Callable[[list[T], int], R],
    todo: Sequence[T],
    options: ScanOptions,
    noun: str,
    size: int,
) -> list[R]:
    """Apply ``batch_fn`` to batches of ``todo``, in this process or a pool; report progress."""
    inventory = frozenset(options.inventory)
    batches = [list(todo[i : i + BATCH]) for i in range(0, len(todo), BATCH)]
    count = workers(options, size)
    say = options.progress
    if count == 1:
        _init(inventory)
        return [batch_fn(b, options.max_bytes) for b in batches]
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])  # not __main__: the whole CLI would load again
    with ProcessPoolExecutor(count, context, initializer=_init, initargs=(inventory,)) as ex:
        futures: list[Future[R]] = [ex.submit(batch_fn, b, options.max_bytes) for b in batches]
        results = []
        for done, future in enumerate(futures, 1):
            results.append(future.result())
            if say and (done % 50 == 0 or done == len(futures)):
                say(f"scanned {min(done * BATCH, len(todo))}/{len(todo)} {noun}")
    return results


def scan_files(todo: Sequence[FileTask], options: ScanOptions) -> FilesOutcome:
    """Read and scan every file; hits in task order."""
    parts = _run(_file_batch, todo, options, "files", sum(t.size for t in todo))
    return FilesOutcome(
        tuple(h for p in parts for h in p.hits),
        tuple(s for p in parts for s in p.skipped),
        sum(p.skipped_logs for p in parts),
    )


def scan_texts(todo: Sequence[TextTask], options: ScanOptions) -> list[tuple[str, list[Hit]]]:
    """Scan every text (commit diffs); (commit, hits) in task order."""
    parts = _run(_text_batch, todo, options, "changes", sum(len(t.text) for t in todo))
    return [item for part in parts for item in part]
