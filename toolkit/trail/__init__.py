"""The tamper-evident audit trail of everything keyvigil itself did."""

from toolkit.trail.chain import TrailStatus, append, entries, verify

__all__ = ["TrailStatus", "append", "entries", "verify"]
