"""The inventory reader protocol and the values shared by every reader."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

KeyRecord = dict[str, Any]
"""One key as a reader produced it: a subset of ``KeyBase`` field names.

A field that is present is known to the source (even when its value is None); a field that
is absent is unknown, and importing the record leaves the stored value alone. The reserved
field ``_where`` holds ``("line", n)`` or ``("record", n)`` for error messages.
"""

SNIFF_BYTES = 65536
"""How much of the start of a file readers see in ``sniff``."""


@dataclass(frozen=True)
class ReadOptions:
    """What the user said about the files: their environment, provider and time zone."""

    environment: str | None = None
    provider: str | None = None
    assume_tz: ZoneInfo | None = None


class InventoryReader(Protocol):
    """One inventory format: recognises its files and turns them into key records."""

    name: str
    description: str

    def sniff(self, sample: bytes, path: Path) -> bool:
        """True when the file's first bytes look like this format."""
        ...

    def read(self, path: Path, data: bytes, options: ReadOptions) -> list[KeyRecord]:
        """Parse the whole file; raise ``IngestError`` naming the line or record and field."""
        ...
