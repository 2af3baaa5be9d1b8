"""new-location: countries (else networks) outside a key's first 30 days."""

from __future__ import annotations

from datetime import timedelta

from tests.analytics.helpers import T0, ev, every, run

DAY = timedelta(days=1)
HISTORY = every(T0 - 40 * DAY, DAY, 40)  # DE, daily, from 40 days before T0


def test_country_inside_baseline_is_known_after_it_is_new() -> None:
    """FR seen on day 10 is baseline; RU first seen on day 35 is new."""
    rows = HISTORY + [ev(T0 - 30 * DAY, country="FR"), ev(T0 - 5 * DAY, country="RU")]
    result = run(rows)
    (hit,) = result.hits["new-location"]
    assert hit.evidence["location"] == "RU"
    assert hit.evidence["kind"] == "country"
    assert hit.evidence["first_seen"] == T0 - 5 * DAY
    assert (hit.evidence["baseline"], hit.evidence["baseline_from"]) == ("DE, FR", "first days")


def test_baseline_boundary_is_inclusive() -> None:
    """First seen exactly 30 days after the key's first event is baseline; a second later is not."""
    first = T0 - 40 * DAY
    on_edge = run(HISTORY + [ev(first + 30 * DAY, country="US")])
    assert on_edge.hits["new-location"] == ()
    late = run(HISTORY + [ev(first + 30 * DAY + timedelta(seconds=1), country="US")])
    assert [h.evidence["location"] for h in late.hits["new-location"]] == ["US"]


def test_no_country_falls_back_to_networks() -> None:
    """Without a country, a new /24 or /64 network is the new location."""
    rows = every(T0 - 40 * DAY, DAY, 40, country=None, source_ip="198.51.100.7")
    rows += [ev(T0, country=None, source_ip="198.51.100.200")]  # same /24
    rows += [ev(T0, country=None, source_ip="2001:db8:1:2::99")]
    (hit,) = run(rows).hits["new-location"]
    assert (hit.evidence["location"], hit.evidence["kind"]) == ("2001:db8:1:2::/64", "network")


def test_period_start_limits_reports_to_new_locations_since() -> None:
    """A location first seen before --since is not reported again."""
    rows = HISTORY + [ev(T0 - 5 * DAY, country="RU")]
    assert run(rows, period_start=T0 - 4 * DAY).hits["new-location"] == ()
    assert run(rows, period_start=T0 - 6 * DAY).hits["new-location"]
