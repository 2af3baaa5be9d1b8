"""What a keyvigil process does once its code is loaded, before the work starts."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def settle_imports() -> None:
    """Move every object allocated so far (modules, classes, the rule catalogue, SQLAlchemy's
    and pydantic's tables) into the garbage collector's permanent generation.

    Nothing imported is ever freed before the process ends, so the collector need never look at
    it again: not in the full collections a large audit triggers, and not in the ones Python
    runs at exit, which otherwise cost a ``keyvigil`` command 0.2 to 0.5 s after its work is
    done. ``keyvigil``'s entry point calls this once its commands are imported; the benchmarks'
    measurement processes call it after their imports, as ``keyvigil`` would.
    """
    gc.freeze()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while records are built or read back in bulk.

    An import, an audit or reading a stored result document back makes millions of acyclic
    objects; each collection pass walks all of them (a third of an import's CPU at 100k keys,
    two thirds of reading a 100k-key document). Reference counting frees them as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
