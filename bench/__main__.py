"""``make bench``: runs every benchmark in turn and prints its figures."""

from __future__ import annotations

import importlib
import sys

from bench import compile_code

BENCHMARKS = (
    "bench.inventory_import",
    "bench.logs",
    "bench.trace",
    "bench.readers",
    "bench.audit",
    "bench.report",
    "bench.scan",
    "bench.incident",
)


def main() -> None:
    """Run the benchmarks named on the command line, or all of them."""
    names = sys.argv[1:] or BENCHMARKS
    compile_code()
    for name in names:
        module = importlib.import_module(name if name.startswith("bench.") else f"bench.{name}")
        module.main()


if __name__ == "__main__":
    main()
