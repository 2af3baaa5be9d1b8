"""keyvigil's benchmarks (``make bench``); each measurement runs in a fresh process."""

from __future__ import annotations

import compileall
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def compile_code() -> None:
    """Write the bytecode of keyvigil's code (and the benchmarks') before measuring, as
    installing keyvigil does: a measurement then times keyvigil, not Python compiling it again
    in every process (it would where ``PYTHONDONTWRITEBYTECODE`` is set, as in CI: about 0.1 s
    a log-suite process, 0.25 s an audit). The files are compared by time, so a changed module
    is compiled again the next time."""
    for package in ("toolkit", "bench"):
        compileall.compile_dir(ROOT / package, quiet=1)
