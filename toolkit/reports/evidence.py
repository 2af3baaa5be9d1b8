"""A finding's evidence in words: where its events or its key came from, and its facts as rows."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from toolkit.audit.result import FindingRecord, SourceLocation, TraceRecord

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
LIST_ITEMS = 5
"""Items of a list shown in an evidence row; the attached result.json has them all."""


def when(value: str | None, with_time: bool = True) -> str:
    """The reports' one date format, '1 Oct 2026 14:02 UTC' (or '1 Oct 2026'); '-' for None."""
    if not value:
        return "-"
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC)
    text = f"{parsed.day} {parsed:%b %Y}"
    return f"{text} {parsed:%H:%M} UTC" if with_time else text


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ISO_IN_TEXT = re.compile(
    r"\b(\d{4})-(\d\d)-(\d\d)(?:[ T](\d\d:\d\d(?::\d\d)?)(\.\d+)?(Z|[+-]\d\d:\d\d)?)?(?!\w)"
)


def dates_in_text(text: str) -> str:
    """A message with its ISO dates in the one date format: '2026-09-28 14:59:35' (a rule's
    time, zone said elsewhere) as '28 Sep 2026 14:59:35'; a stamp with its zone
    ('2026-10-01T08:41:00Z', as records keep them) as '1 Oct 2026 08:41 UTC'."""

    def day(match: re.Match[str]) -> str:
        """One date (and time) in words."""
        year, month, dom, clock, _fraction, zone = match.groups()
        if not 1 <= int(month) <= 12:
            return match.group(0)
        if zone:
            return when(match.group(0))
        text = f"{int(dom)} {MONTHS[int(month) - 1]} {year}"
        return f"{text} {clock}" if clock else text

    return ISO_IN_TEXT.sub(day, text)


def grouped(value: int) -> str:
    """Thousands separated with thin spaces: 20 000."""
    return f"{value:,}".replace(",", "\u202f")


def listed(items: Sequence[str], total: int | None = None) -> str:
    """'a, b and c', or 'a, b, c and 4 more' when ``total`` counts more than are listed."""
    total = len(items) if total is None else total
    items = list(items)
    more = total - len(items)
    if more > 0:
        return f"{', '.join(items)} and {more} more"
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def location_text(locations: Sequence[SourceLocation]) -> str:
    """'api.jsonl lines 12, 15 and 18', 'trail.json record 3': grouped by file, in order."""
    parts: list[str] = []
    files: dict[str, list[SourceLocation]] = {}
    for loc in locations:
        files.setdefault(loc.path, []).append(loc)
    for path, found in files.items():
        lines = [str(x.line) for x in found if x.line is not None]
        records = [str(x.record) for x in found if x.record is not None]
        text = path
        if lines:
            text += f" line{'s' if len(lines) > 1 else ''} {listed(lines)}"
        if records:
            text += f" record{'s' if len(records) > 1 else ''} {listed(records)}"
        parts.append(text)
    return "; ".join(parts)


def span_text(first: str, last: str) -> str:
    """'at 28 Sep 2026 10:00:03 UTC', 'on 28 Sep 2026 from 10:00:00 to 10:00:11 UTC', or
    'from 26 Sep 2026 02:04 UTC to 30 Sep 2026 22:59 UTC'."""
    start, end = (datetime.fromisoformat(t.replace("Z", "+00:00")) for t in (first, last))
    day = when(first, with_time=False)
    if start == end:
        return f"at {day} {start:%H:%M:%S} UTC"
    if start.date() == end.date():
        return f"on {day} from {start:%H:%M:%S} to {end:%H:%M:%S} UTC"
    return f"from {when(first)} to {when(last)}"


def trace_sentences(trace: TraceRecord) -> list[str]:
    """The logged events behind a finding, as sentences a reader can look up."""
    noun = "event" if trace.events == 1 else "events"
    span = span_text(trace.first_event, trace.last_event)
    out = [
        f"{grouped(trace.events)} logged {noun} {span}, first at {location_text(trace.locations)}."
    ]
    if trace.request_ids:
        out.append(f"Request ids: {listed(trace.request_ids)}.")
    if trace.source_ips:
        out.append(f"From {listed(trace.source_ips, trace.source_ips_total)}.")
    if trace.countries:
        out.append(f"Countries: {listed(trace.countries, trace.countries_total)}.")
    return out


def where_sentences(finding: FindingRecord) -> list[str]:
    """Where a finding's evidence is: its logged events, else the key's inventory row."""
    if finding.trace is not None:
        return trace_sentences(finding.trace)
    if finding.key is not None and finding.key.source is not None:
        return [f"Key read from {location_text([finding.key.source])}."]
    return []


def fact_text(value: Any) -> str:
    """One evidence value in words: dates in the one format, yes/no, lists cut short."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "-"
    if isinstance(value, str) and TIMESTAMP.match(value):
        return when(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, int):
        return grouped(value)
    if isinstance(value, dict):
        if "message" in value:
            return dates_in_text(str(value["message"]))
        return "; ".join(f"{_label(k)}: {fact_text(v)}" for k, v in sorted(value.items()))
    if isinstance(value, list):
        shown = [fact_text(v) for v in value[:LIST_ITEMS]]
        return listed(shown, len(value)) or "none"
    return dates_in_text(str(value))


def _label(name: str) -> str:
    """An evidence field name as a label: 'due_at' -> 'Due at'."""
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


TRACED = frozenset(
    ("events", "first_seen", "last_seen", "first_use", "last_use", "source_ips", "examples")
)
"""Evidence fields a trace already says in words (count, time range, addresses, and where the
first events are: the unattributed-events check's ``examples``)."""


def fact_rows(
    evidence: dict[str, Any] | None, trace: TraceRecord | None = None
) -> list[tuple[str, str]]:
    """The evidence as (label, value) rows; empty values, and those the trace says, left out."""
    said = TRACED if trace is not None else frozenset()
    return [
        (_label(name), fact_text(value))
        for name, value in sorted((evidence or {}).items())
        if value is not None and value != "" and value != [] and name not in said
    ]
