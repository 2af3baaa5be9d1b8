"""Key inventory readers, one module per format, chosen by sniffing the file's content."""

from __future__ import annotations

from pathlib import Path

from toolkit.errors import IngestError, UsageError
from toolkit.ingest.inventory.aws_access_keys import AwsAccessKeysReader
from toolkit.ingest.inventory.aws_report import AwsCredentialReportReader
from toolkit.ingest.inventory.azure import AzureKeyVaultReader
from toolkit.ingest.inventory.gcp import GcpServiceAccountKeysReader
from toolkit.ingest.inventory.house import HouseReader
from toolkit.ingest.inventory.interface import (
    SNIFF_BYTES,
    InventoryReader,
    KeyRecord,
    ReadOptions,
)

INVENTORY_READERS: dict[str, InventoryReader] = {
    reader.name: reader
    for reader in (
        AwsCredentialReportReader(),
        AwsAccessKeysReader(),
        GcpServiceAccountKeysReader(),
        AzureKeyVaultReader(),
        HouseReader(),
    )
}
"""Every inventory format, in sniffing order (the most specific first)."""


def reader_named(name: str) -> InventoryReader:
    """The reader ``--format NAME`` asks for; an unknown name lists the valid ones."""
    try:
        return INVENTORY_READERS[name]
    except KeyError:
        valid = ", ".join(INVENTORY_READERS)
        raise UsageError(f"--format: unknown inventory format {name!r} (one of: {valid})") from None


def detect_reader(path: Path, data: bytes) -> InventoryReader:
    """The first reader whose sniff accepts the start of the file."""
    sample = data[:SNIFF_BYTES]
    for reader in INVENTORY_READERS.values():
        if reader.sniff(sample, path):
            return reader
    valid = ", ".join(INVENTORY_READERS)
    raise IngestError(path, f"not a known inventory format; use --format (one of: {valid})")


__all__ = [
    "INVENTORY_READERS",
    "InventoryReader",
    "KeyRecord",
    "ReadOptions",
    "detect_reader",
    "reader_named",
]
