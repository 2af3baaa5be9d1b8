"""Benchmark: tracing every log finding back to its events (file:line, request ids, addresses).

One audit's worth of hits over the generated log (``KEYVIGIL_BENCH_TRACE_SIZE``, default 1M
events, JSON Lines), traced in one statement; shown next to the analysis it follows.
"""

from __future__ import annotations

import os
import time

from bench import loggen
from bench.logs import data_file, parse_size


def main() -> None:
    """Print the analysis time, the number of windows traced and the trace time."""
    from toolkit.analytics.duck import DuckBackend
    from toolkit.analytics.interface import LoadOptions
    from toolkit.rules.settings import DetectionSettings

    n = parse_size(os.environ.get("KEYVIGIL_BENCH_TRACE_SIZE", "1M"))
    backend = DuckBackend()
    loaded = backend.load([data_file(n, "jsonl")], LoadOptions())
    t0 = time.perf_counter()
    result = backend.analyse(loggen.inventory(), DetectionSettings(baseline_days=7), loggen.END)
    analysed = time.perf_counter() - t0
    windows = [h.window for hits in result.hits.values() for h in hits if h.window is not None]
    t0 = time.perf_counter()
    traced = backend.trace(windows)
    took = time.perf_counter() - t0
    backend.close()
    print(
        f"trace log findings: {len(windows)} windows over {loaded.events:,} events in "
        f"{took:.2f} s ({len(traced)} with events); the analysis before it took {analysed:.2f} s"
    )


if __name__ == "__main__":
    main()
