"""Scan outputs: the scan-results JSON (what ``audit run --scan`` reads) and SARIF 2.1.0."""

from __future__ import annotations

from toolkit.scan.outputs import json, sarif
from toolkit.scan.outputs.interface import Output

FORMATS: dict[str, Output] = {"json": json.OUTPUT, "sarif": sarif.OUTPUT}
"""Output formats by name, as ``scan --format`` takes them."""

__all__ = ["FORMATS", "Output"]
