"""Access-log analysis behind one backend protocol (``interface.py``), one package per engine."""

from __future__ import annotations

from collections.abc import Callable

from toolkit.analytics.duck import DuckBackend
from toolkit.analytics.interface import LogBackend
from toolkit.errors import UsageError

BACKENDS: dict[str, Callable[[], LogBackend]] = {
    DuckBackend.name: DuckBackend,
}
"""Every log backend by name; adding an engine is one package plus one line here."""

DEFAULT_BACKEND = DuckBackend.name


def open_backend(name: str = DEFAULT_BACKEND) -> LogBackend:
    """A fresh backend with nothing loaded yet."""
    factory = BACKENDS.get(name)
    if factory is None:
        raise UsageError(f"unknown log backend {name!r} (known: {', '.join(BACKENDS)})")
    return factory()


__all__ = ["BACKENDS", "DEFAULT_BACKEND", "LogBackend", "open_backend"]
