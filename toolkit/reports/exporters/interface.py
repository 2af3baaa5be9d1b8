"""The exporter interface: the typed result document (plus run facts) in, one file's bytes out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from toolkit.audit.facts import RunMeta
from toolkit.audit.result import ResultDocument

Document = ResultDocument
"""The audit result document (docs/RESULT_CONTRACT.md)."""


@dataclass(frozen=True)
class Exporter:
    """One output format: name, file suffix, media type, renderer, and whether it needs run facts.

    An exporter with ``needs_run_facts`` prints the stored run's id, time, actor and its
    comparison with earlier runs (``RunMeta``); the others depend on the document alone, so the
    same document always gives the same bytes.
    """

    name: str
    suffix: str
    media_type: str
    export: Callable[[Document, RunMeta], bytes]
    description: str = ""
    needs_run_facts: bool = False


__all__ = ["Document", "Exporter", "RunMeta"]
