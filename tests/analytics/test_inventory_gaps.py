"""unknown-key-activity, access-without-audit-trail, log-retention-gap and true last use."""

from __future__ import annotations

from datetime import timedelta

from tests.analytics.helpers import AS_OF, T0, ev, every, key, run
from toolkit.rules.interface import EventWindow
from toolkit.rules.settings import DetectionSettings

H = timedelta(hours=1)
DAY = timedelta(days=1)


def test_unknown_key_reported_temporary_aws_keys_not() -> None:
    """A key id no inventory knows is reported; ASIA... temporary ids are left out."""
    rows = [ev(T0), ev(T0, key_id="stray"), ev(T0 + H, key_id="stray", outcome="auth_failed")]
    rows.append(ev(T0, key_id="ASIATEMPORARY1234567"))
    (hit,) = run(rows).hits["unknown-key-activity"]
    assert hit.subject == "stray"
    assert (hit.evidence["events"], hit.evidence["successes"]) == (2, 1)
    settings = DetectionSettings(ignore_temporary_keys=False)
    hits = run(rows, settings=settings).hits["unknown-key-activity"]
    assert {h.subject for h in hits} == {"stray", "ASIATEMPORARY1234567"}


def test_events_without_key_or_principal_are_access_without_audit_trail() -> None:
    """Events naming neither key nor principal are counted with where they are."""
    rows = [ev(T0), ev(T0, key_id=None, principal="alice"), ev(T0 + H, key_id=None)]
    rows[-1]["source"] = "app.jsonl:42"
    (hit,) = run(rows).hits["access-without-audit-trail"]
    assert hit.subject == "unattributed-events"
    assert hit.evidence["events"] == 1
    assert hit.evidence["examples"] == ["app.jsonl:42"]
    assert hit.window == EventWindow(T0 + H, T0 + H, unattributed=True)  # traced to its events


def test_reported_last_use_without_logged_event() -> None:
    """Inventory says used inside the log window, logs show nothing (or much earlier)."""
    rows = every(T0 - 10 * DAY, H, 24 * 20)
    keys = [key(last_used_at=T0), key("k2", last_used_at=T0 - 5 * DAY)]
    keys.append(key("k3", last_used_at=T0 - 60 * DAY))  # before the logs start: not judged
    hits = run(rows + [ev(T0 - 9 * DAY, key_id="k3")], keys).hits["access-without-audit-trail"]
    assert [h.subject for h in hits] == ["k2"]
    assert hits[0].evidence["logged_last_use"] is None
    stale = [key(last_used_at=T0 + 5 * DAY), key("k2")]
    rows2 = every(T0 - 10 * DAY, H, 240) + [ev(T0 + 6 * DAY, key_id="k2")]  # k1 ends T0 - 1 h
    (hit,) = run(rows2, stale).hits["access-without-audit-trail"]
    assert (hit.subject, hit.evidence["logged_last_use"]) == ("k1", T0 - H)
    assert run(rows2, [key(last_used_at=T0), key("k2")]).hits["access-without-audit-trail"] == ()


def test_retention_and_gaps() -> None:
    """A 40-day log fails the 365-day requirement; a 25 h silence is a gap, 24 h is not.

    The 25 h silence spans a whole UTC day, so 39 of the 40 days have events."""
    rows = every(AS_OF - 40 * DAY, H, 20 * 24)  # 20 days hourly
    rows += every(AS_OF - 20 * DAY + 24 * H, H, 5)  # after a 25 h silence
    rows += every(AS_OF - 20 * DAY + 52 * H, H, 428)  # after a 24 h silence, to as-of - 1 h
    hits = run(rows).hits["log-retention-gap"]
    kinds = [h.evidence["kind"] for h in hits]
    assert kinds == ["retention", "gap"]
    assert hits[0].evidence["days_with_events"] == 39
    assert hits[1].evidence["hours"] == 25


def test_retention_counts_days_with_events_not_the_span() -> None:
    """Issue 9, wrong results 8: one event 385 days back does not cover a year, and a log with
    nothing in the last 153 days does not have the newest 90 days at hand."""
    old = [ev(AS_OF - 385 * DAY, key_id="k1")]
    recent = every(AS_OF - 30 * DAY, H, 30 * 24)  # the last 30 days, hourly
    (retention,) = [
        h for h in run(old + recent).hits["log-retention-gap"] if h.evidence["kind"] == "retention"
    ]
    assert retention.evidence["days_with_events"] == 30
    assert retention.evidence["recent_days_with_events"] == 30
    assert retention.evidence["recent_covered"] is False
    assert "events on 30 of the 365 days before as-of" in retention.message
    silent = every(AS_OF - 400 * DAY, H, 247 * 24)  # a full year's worth, ending 153 days ago
    (stale,) = [
        h for h in run(silent).hits["log-retention-gap"] if h.evidence["kind"] == "retention"
    ]
    assert stale.evidence["recent_days_with_events"] == 0
    assert "newest 90 days at hand: no" in stale.message


def test_gaps_shorter_than_a_day_with_a_shorter_limit() -> None:
    """With a 6 h limit, a 7 h silence inside one day is a gap and a 6 h one is not; the same
    log has no gap under the default 24 h limit."""
    rows = every(T0, H, 5) + every(T0 + 10 * H, H, 3) + every(T0 + 19 * H, H, 2)
    short = DetectionSettings(max_gap_hours=6)
    hits = run(rows, settings=short, as_of=T0 + 21 * H).hits["log-retention-gap"]
    gaps = [h.evidence for h in hits if h.evidence["kind"] == "gap"]
    assert [(g["gap_start"], g["gap_end"]) for g in gaps] == [(T0 + 12 * H, T0 + 19 * H)]
    long = run(rows, as_of=T0 + 21 * H).hits["log-retention-gap"]
    assert [h.evidence["kind"] for h in long] == ["retention"]


def test_full_year_log_passes_retention_and_early_end_is_reported() -> None:
    """366 days of daily events (max gap 24 h) pass; stopping 2 days early is reported, and
    the last day before as-of then has no event: 364 of the 365 required days."""
    rows = every(AS_OF - 366 * DAY, DAY, 367)
    assert run(rows).hits["log-retention-gap"] == ()
    hits = run(rows[:-2]).hits["log-retention-gap"]
    assert [h.evidence["kind"] for h in hits] == ["retention", "ends-early"]
    assert hits[0].evidence["days_with_events"] == 364


def test_true_last_use_per_key() -> None:
    """First/last event, counts, distinct IPs and countries per key; unused keys get zeros."""
    rows = [ev(T0, source_ip="10.0.0.1"), ev(T0 + H, source_ip="10.0.0.2", country="FR")]
    rows += [ev(T0 + 2 * H, outcome="auth_failed"), ev(T0 + 3 * H, outcome="denied")]
    usage = run(rows, [key(), key("idle")]).usage
    k1, idle = usage
    assert (k1.first_seen, k1.last_seen, k1.events) == (T0, T0 + 3 * H, 4)
    assert (k1.successes, k1.auth_failures, k1.denied) == (2, 1, 1)
    assert (k1.source_ips, k1.countries) == (2, ["DE", "FR"])
    assert (idle.events, idle.last_seen, idle.attributed_via) == (0, None, None)
