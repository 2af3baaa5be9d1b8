"""The DuckDB backend traces event windows to their files: filters by key, keyless source,
outcome and location (country, else network); windows without events are left out."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from toolkit.analytics.duck import DuckBackend
from toolkit.analytics.evidence import EventLocation
from toolkit.analytics.interface import LoadOptions
from toolkit.rules.interface import EventWindow

START, END = datetime(2026, 9, 1, tzinfo=UTC), datetime(2026, 9, 2, tzinfo=UTC)
EVENTS = [
    {"key_id": "k1", "source_ip": "203.0.113.5", "country": "FR", "outcome": "auth_failed"},
    {"key_id": "k1", "source_ip": "203.0.113.6", "outcome": "success", "request_id": "r-2"},
    {"key_id": "k1", "source_ip": "198.51.100.7", "country": "NL", "outcome": "success"},
    {"source_ip": "198.51.100.9", "outcome": "auth_failed", "request_id": "r-4"},
    {"key_id": "k2", "source_ip": "198.51.100.9", "outcome": "auth_failed"},
]


def _backend(tmp_path: Path) -> DuckBackend:
    """A backend holding EVENTS, one a second from 10:00:00 (lines 1..5), no GeoIP country."""
    lines = [
        json.dumps({"ts": f"2026-09-01T10:00:0{n}Z", **event}) for n, event in enumerate(EVENTS)
    ]
    path = tmp_path / "api.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    backend = DuckBackend()
    backend.load([path], LoadOptions())
    return backend


def test_windows_select_their_events(tmp_path: Path) -> None:
    """Each filter narrows the events; the locations are the file's lines."""
    backend = _backend(tmp_path)
    path = str(tmp_path / "api.jsonl")
    by_key = EventWindow(START, END, key_id="k1")
    failed = EventWindow(START, END, key_id="k1", outcome="auth_failed")
    dutch = EventWindow(START, END, key_id="k1", location="NL")
    network = EventWindow(START, END, key_id="k1", location="203.0.113.0/24")
    keyless = EventWindow(START, END, source_ip="198.51.100.9")
    nothing = EventWindow(START, END, key_id="nobody")
    traced = backend.trace([by_key, failed, dutch, network, keyless, nothing])
    assert nothing not in traced
    assert traced[by_key].events == 3 and traced[by_key].source_ip_count == 3
    assert traced[by_key].locations == tuple(EventLocation(path, n, "line") for n in (1, 2, 3))
    assert traced[by_key].request_ids == ("r-2",)
    assert (traced[by_key].countries, traced[by_key].country_count) == (("FR", "NL"), 2)
    assert traced[failed].locations == (EventLocation(path, 1, "line"),)
    assert traced[dutch].locations == (EventLocation(path, 3, "line"),)
    assert traced[network].locations == (EventLocation(path, 2, "line"),)  # no country: network
    assert traced[keyless].locations == (EventLocation(path, 4, "line"),)  # not k2's event
    assert (
        traced[keyless].first == traced[keyless].last == datetime(2026, 9, 1, 10, 0, 3, tzinfo=UTC)
    )
    backend.close()


def test_unattributed_window_selects_events_naming_no_key_and_no_principal(
    tmp_path: Path,
) -> None:
    """Events without a key id but with a principal are attributed (by principal): not traced
    as unattributed; a keyless event with no principal is, whatever its source."""
    path = tmp_path / "api.jsonl"
    events = [
        {"ts": "2026-09-01T10:00:00Z", "key_id": "k1", "source_ip": "203.0.113.5"},
        {"ts": "2026-09-01T10:00:01Z", "principal": "svc-a", "source_ip": "203.0.113.6"},
        {"ts": "2026-09-01T10:00:02Z", "source_ip": "198.51.100.9", "request_id": "r-3"},
        {"ts": "2026-09-01T10:00:03Z", "source_ip": "198.51.100.10"},
        {"ts": "2026-09-02T10:00:00Z", "source_ip": "198.51.100.9"},  # after the window
    ]
    lines = [json.dumps(event | {"outcome": "success"}) for event in events]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    backend = DuckBackend()
    backend.load([path], LoadOptions())
    window = EventWindow(START, END, unattributed=True)
    by_source = EventWindow(START, END, source_ip="198.51.100.9")
    traced = backend.trace([window, by_source])
    assert traced[window].events == 2
    assert traced[window].locations == (
        EventLocation(str(path), 3, "line"),
        EventLocation(str(path), 4, "line"),
    )
    assert traced[window].request_ids == ("r-3",)
    assert traced[window].source_ip_count == 2
    assert traced[by_source].locations == (EventLocation(str(path), 3, "line"),)
    backend.close()
