"""The exporter interface: the audit result document (plus run facts) in, one file's bytes out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Document = dict[str, Any]
"""The canonical audit result document (see docs/audit.md, "The result document")."""


@dataclass(frozen=True)
class RunMeta:
    """Facts about a stored run that are NOT in the result document (they differ run to run).

    Exporters whose output must be reproducible (json, csv, sarif, oscal) ignore them; the PDF
    prints them. ``previous`` is ``audit diff`` of the latest earlier run with the same scope
    against this one (None when there is none).
    """

    run_id: str
    created_at: datetime
    actor: str
    result_sha256: str
    previous_run_id: str | None = None
    previous: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Exporter:
    """One output format: its name, file suffix, media type and the function that renders it."""

    name: str
    suffix: str
    media_type: str
    export: Callable[[Document, RunMeta], bytes]
    description: str = ""
