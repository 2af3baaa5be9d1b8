"""Reading what incident tests produce: PDF text, the demo logs counted in plain Python."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pypdf import PdfReader

from toolkit.timeutil import parse_timestamp


def pdf_text(path: Path) -> str:
    """All pages' text, whitespace collapsed."""
    reader = PdfReader(path)
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pdf_attachment(path: Path, name: str) -> bytes:
    """One file attached to the PDF."""
    return PdfReader(path).attachments[name][0]


@dataclass(frozen=True)
class LogFacts:
    """A key's events as counted straight from the demo's house log (no DuckDB)."""

    window: int
    window_failed: int
    after: int
    ips: Counter[str]
    countries: dict[str, str]


def count_events(logs: tuple[Path, ...], key_id: str, start: datetime, end: datetime) -> LogFacts:
    """Events of ``key_id`` in [start, end), after ``end``, and per address from ``start`` on."""
    window = failed = after = 0
    ips: Counter[str] = Counter()
    countries: dict[str, str] = {}
    house = next(p for p in logs if p.name.startswith("api-access"))
    with gzip.open(house, "rt", encoding="utf-8") as handle:
        for line in handle:
            event = json.loads(line)
            if event.get("key_id") != key_id:
                continue
            ts = parse_timestamp(event["ts"])
            if ts < start:
                continue
            ips[event["source_ip"]] += 1
            countries[event["source_ip"]] = event["country"]
            if ts < end:
                window += 1
                failed += event["status"] != 200
            else:
                after += 1
    return LogFacts(window, failed, after, ips, countries)
