"""The DuckDB log backend: access-log readers, loading, and the log rules' SQL run in DuckDB."""

from __future__ import annotations

from toolkit.analytics.duck.backend import DuckBackend

__all__ = ["DuckBackend"]
