"""Access-log readers: one module per format, each DuckDB SQL onto the ``events`` relation."""

from __future__ import annotations

from pathlib import Path

from toolkit.analytics.duck.readers.base import LogFile, LogReader, too_deep_line
from toolkit.analytics.duck.readers.cloudtrail import CloudTrailReader
from toolkit.analytics.duck.readers.house import HouseReader
from toolkit.analytics.duck.readers.vault import VaultReader
from toolkit.errors import IngestError
from toolkit.ingest.inventory import INVENTORY_READERS
from toolkit.ingest.inventory.interface import SNIFF_BYTES

# Sniffing tries these in order; the first reader that recognises a file reads it.
LOG_READERS: dict[str, LogReader] = {
    "house": HouseReader(),
    "cloudtrail": CloudTrailReader(),
    "vault": VaultReader(),
}


def sniff(log: LogFile, log_format: str | None = None) -> tuple[str, str]:
    """Return (reader name, variant) for a file, by content or as forced by ``log_format``."""
    if log_format is not None:
        reader = LOG_READERS.get(log_format)
        if reader is None:
            known = ", ".join(LOG_READERS)
            raise IngestError(log.path, f"unknown log format {log_format!r} (known: {known})")
        variant = reader.variant(log)
        if variant is None:
            raise IngestError(log.path, f"does not look like the {log_format} log format")
        return log_format, variant
    for name, reader in LOG_READERS.items():
        variant = reader.variant(log)
        if variant is not None:
            return name, variant
    deep = too_deep_line(log.head)
    if deep is not None:
        raise IngestError(log.path, "JSON nested too deeply to read", line=deep)
    known = ", ".join(LOG_READERS)
    why = f"unrecognised access-log format (known: {known})"
    sample = log.head.encode("utf-8")[:SNIFF_BYTES]
    inventory = next(
        (r for r in INVENTORY_READERS.values() if r.sniff(sample, Path(log.path))), None
    )
    if inventory is not None:  # say, a second --inventory file taken as a log argument
        why += f": it looks like a key inventory ({inventory.name}), not an access log"
    raise IngestError(log.path, why)
