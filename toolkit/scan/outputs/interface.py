"""What a scan output format is: a name, a file suffix and a function from report to bytes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from toolkit.scan.interface import ScanReport


@dataclass(frozen=True)
class Output:
    """One output format of ``keyvigil scan``."""

    name: str
    suffix: str
    render: Callable[[ScanReport], bytes]
    description: str
