"""Per-key activity in a window, through the backend protocol: counts, sources, actions, related."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from toolkit.analytics import BACKENDS, open_backend
from toolkit.analytics.evidence import ActionActivity, KeyActivity, RelatedKey, SourceActivity
from toolkit.analytics.interface import LoadOptions
from toolkit.errors import UsageError

T0 = datetime(2026, 9, 10, 12, 0, tzinfo=UTC)
S = timedelta(seconds=1)
EVENTS = [
    # before the window: never counted
    {
        "ts": T0 - 60 * S,
        "key_id": "leaked",
        "ip": "203.0.113.7",
        "country": "NL",
        "outcome": "success",
    },  # noqa: E501
    # the window [T0, T0 + 100 s]
    {
        "ts": T0,
        "key_id": "leaked",
        "ip": "203.0.113.7",
        "country": "NL",
        "action": "GET /a",
        "outcome": "success",
    },  # noqa: E501
    {
        "ts": T0 + 10 * S,
        "key_id": "leaked",
        "ip": "203.0.113.7",
        "country": "NL",
        "action": "GET /a",
        "outcome": "auth_failed",
    },  # noqa: E501
    {
        "ts": T0 + 20 * S,
        "key_id": "leaked",
        "ip": "198.51.100.4",
        "country": "DE",
        "action": "PUT /b",
        "outcome": "denied",
    },  # noqa: E501
    {
        "ts": T0 + 30 * S,
        "key_id": "leaked",
        "ip": "198.51.100.4",
        "country": "DE",
        "action": "GET /a",
        "outcome": "error",
    },  # noqa: E501
    {
        "ts": T0 + 40 * S,
        "key_id": "buddy",
        "ip": "203.0.113.7",
        "country": "NL",
        "action": "GET /a",
        "outcome": "success",
    },  # noqa: E501
    {
        "ts": T0 + 50 * S,
        "key_id": "buddy",
        "ip": "203.0.113.7",
        "country": "NL",
        "action": "GET /a",
        "outcome": "auth_failed",
    },  # noqa: E501
    {
        "ts": T0 + 60 * S,
        "key_id": "elsewhere",
        "ip": "192.0.2.1",
        "country": "FR",
        "outcome": "success",
    },  # noqa: E501
    {
        "ts": T0 + 70 * S,
        "key_id": None,
        "ip": "203.0.113.7",
        "country": "NL",
        "outcome": "auth_failed",
    },  # noqa: E501
    {
        "ts": T0 + 100 * S,
        "key_id": "other",
        "ip": "198.51.100.4",
        "country": "DE",
        "outcome": "success",
    },  # noqa: E501
    # after the window
    {
        "ts": T0 + 101 * S,
        "key_id": "late",
        "ip": "203.0.113.7",
        "country": "NL",
        "outcome": "success",
    },  # noqa: E501
]


def _activity(
    tmp_path: Path, *keys: str, ips: list[str] | None = None, details: bool = True
) -> KeyActivity:
    """Load the events above and ask for ``keys`` in the window."""
    path = tmp_path / "events.jsonl"
    lines = [json.dumps(dict(e, ts=e["ts"].isoformat())) for e in EVENTS]
    path.write_text("\n".join(lines) + "\n")
    backend = open_backend()
    try:
        backend.load([path], LoadOptions(details=details))
        return backend.key_activity(list(keys), T0, T0 + 100 * S, ips)
    finally:
        backend.close()


@pytest.mark.parametrize("details", [True, False], ids=["full load", "thin load, read again"])
def test_every_event_of_the_key_in_the_window_is_summed_up(tmp_path: Path, details: bool) -> None:
    """Counts by outcome, first and last use, sources by volume, countries, actions (a thin
    load, without actions, is read again in full before the activity is worked out)."""
    found = _activity(tmp_path, "leaked", details=details)
    (window,) = found.keys
    assert (window.key_id, window.events, window.successes) == ("leaked", 4, 1)
    assert (window.auth_failures, window.denied, window.errors) == (1, 1, 1)
    assert (window.first_use, window.last_use) == (T0, T0 + 30 * S)
    assert window.sources == (
        SourceActivity("198.51.100.4", "DE", 2, 0, 1, T0 + 20 * S, T0 + 30 * S),
        SourceActivity("203.0.113.7", "NL", 2, 1, 0, T0, T0 + 10 * S),
    )
    assert window.countries == ("DE", "NL")
    assert window.actions == (ActionActivity("GET /a", 3, 2), ActionActivity("PUT /b", 1, 1))


def test_related_keys_are_other_keys_from_the_same_addresses(tmp_path: Path) -> None:
    """By default the key's own addresses are watched; keyless events and other IPs are not."""
    found = _activity(tmp_path, "leaked")
    assert found.source_ips == ("198.51.100.4", "203.0.113.7")
    assert found.related == (
        RelatedKey("buddy", ("203.0.113.7",), 2, 1, T0 + 40 * S, T0 + 50 * S),
        RelatedKey("other", ("198.51.100.4",), 1, 1, T0 + 100 * S, T0 + 100 * S),
    )


def test_given_addresses_and_unseen_keys(tmp_path: Path) -> None:
    """Only the given addresses are watched; a key without events has zero counts."""
    found = _activity(tmp_path, "leaked", "never-seen", ips=["192.0.2.1"])
    assert [k.key_id for k in found.keys] == ["leaked", "never-seen"]
    unseen = found.keys[1]
    assert (unseen.events, unseen.first_use, unseen.sources, unseen.actions) == (0, None, (), ())
    assert [r.key_id for r in found.related] == ["elsewhere"]


def test_backend_registry() -> None:
    """Every registered backend opens and closes; an unknown name is a usage error."""
    for name in BACKENDS:
        backend = open_backend(name)
        assert backend.name == name
        backend.close()
    with pytest.raises(UsageError, match="unknown log backend"):
        open_backend("spark")
