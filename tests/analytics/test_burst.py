"""failed-auth-burst: more than 10 failures in any sliding 60-second window."""

from __future__ import annotations

from datetime import timedelta

from tests.analytics.helpers import T0, ev, every, key, run
from toolkit.rules.settings import DetectionSettings

S = timedelta(seconds=1)
START = T0 + 40 * S  # 12:00:40


def fails(start, step, count, **kw):  # noqa: ANN001, ANN201
    """``count`` auth failures ``step`` apart."""
    return every(start, step, count, outcome="auth_failed", **kw)


def test_eleven_failures_straddling_a_minute_boundary_fire() -> None:
    """11 failures from 12:00:40 to 12:01:20: no fixed minute holds 11, the sliding window does."""
    rows = fails(START, 4 * S, 11)
    assert rows[-1]["ts"] == T0 + 80 * S
    (hit,) = run(rows).hits["failed-auth-burst"]
    assert hit.subject == "k1"
    assert hit.evidence["max_in_window"] == 11
    assert (hit.evidence["start"], hit.evidence["end"]) == (START, T0 + 80 * S)


def test_ten_failures_do_not_fire() -> None:
    """Exactly the threshold is not more than it."""
    assert run(fails(START, 4 * S, 10)).hits["failed-auth-burst"] == ()


def test_window_is_sixty_seconds_inclusive() -> None:
    """11 failures over exactly 60 s fire; spread over 61 s they do not."""
    assert run(fails(T0, 6 * S, 11)).hits["failed-auth-burst"]
    spread = fails(T0, 6 * S, 10) + [ev(T0 + 61 * S, outcome="auth_failed")]
    assert run(spread).hits["failed-auth-burst"] == ()


def test_successes_and_denials_do_not_count() -> None:
    """Only auth_failed outcomes count towards a burst."""
    rows = fails(T0, S, 10) + [ev(T0 + 5 * S), ev(T0 + 6 * S, outcome="denied")]
    assert run(rows).hits["failed-auth-burst"] == ()


def test_overlapping_windows_merge_into_one_episode_and_separate_ones_do_not() -> None:
    """A long burst is one episode; a second burst an hour later is another."""
    rows = fails(T0, S, 30) + fails(T0 + timedelta(hours=1), S, 12)
    hits = run(rows).hits["failed-auth-burst"]
    assert [h.evidence["max_in_window"] for h in hits] == [30, 12]
    assert hits[0].evidence["end"] == T0 + 29 * S


def test_events_without_key_are_grouped_by_source_ip() -> None:
    """Keyless failures from one IP burst; the same number spread over two IPs does not."""
    rows = fails(T0, S, 11, key_id=None, source_ip="203.0.113.9")
    (hit,) = run(rows).hits["failed-auth-burst"]
    assert (hit.subject, hit.evidence["kind"]) == ("203.0.113.9", "source_ip")
    split = fails(T0, S, 6, key_id=None, source_ip="203.0.113.9")
    split += fails(T0, S, 6, key_id=None, source_ip="203.0.113.10")
    assert run(split).hits["failed-auth-burst"] == ()


def test_threshold_and_window_come_from_settings() -> None:
    """A policy of 3 in 10 s fires on 4 failures within 10 s."""
    settings = DetectionSettings(failed_auth_threshold=3, failed_auth_window_seconds=10)
    assert run(fails(T0, 3 * S, 4), settings=settings).hits["failed-auth-burst"]
    assert run(fails(T0, 4 * S, 4), settings=settings).hits["failed-auth-burst"] == ()


def test_a_burst_names_its_keys_provider_and_environment() -> None:
    """Each burst rule takes the provider and environment of the inventory key it counts; a key
    with no refused event of that kind is not asked for, and a keyless source has neither."""
    keys = [key("k1", provider="aws", environment="prod"), key("k2", environment="dev")]
    rows = fails(T0, S, 11, key_id="k1") + fails(T0, S, 11, key_id=None, source_ip="203.0.113.9")
    rows += every(T0, S, 21, key_id="k2", outcome="denied") + every(T0, S, 21, key_id="k1")
    hits = run(rows, keys).hits
    failed = {h.subject: (h.provider, h.environment) for h in hits["failed-auth-burst"]}
    assert failed == {"k1": ("aws", "prod"), "203.0.113.9": (None, None)}
    denied = {h.subject: (h.provider, h.environment) for h in hits["denied-burst"]}
    assert denied == {"k2": ("house", "dev")}
