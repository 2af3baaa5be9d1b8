"""usage-anomaly, failed-auth-rate-increase and the weekly usage trend."""

from __future__ import annotations

from datetime import timedelta

from tests.analytics.helpers import AS_OF, T0, every, run
from toolkit.rules.settings import DetectionSettings

DAY = timedelta(days=1)
MIN = timedelta(minutes=1)


def daily(day, count, **kw):  # noqa: ANN001, ANN201
    """``count`` events one minute apart starting at midnight of ``day``."""
    start = day.replace(hour=0, minute=0, second=0)
    return every(start, MIN, count, **kw)


def baseline(days=40, per_day=20):  # noqa: ANN001, ANN201
    """A steady key: ``per_day`` events every day for ``days`` days before T0."""
    return [e for d in range(days, 0, -1) for e in daily(T0 - d * DAY, per_day)]


def test_day_far_above_baseline_is_an_anomaly_and_near_it_is_not() -> None:
    """Baseline 64/day, MAD 0: alert above 64 + 5 * sqrt(64) = 104; 105 fires, 104 does not."""
    (hit,) = run(baseline(per_day=64) + daily(T0, 105)).hits["usage-anomaly"]
    assert hit.evidence["days"] == [{"day": T0.date().isoformat(), "events": 105}]
    assert (hit.evidence["median"], hit.evidence["threshold"]) == (64, 104)
    assert run(baseline(per_day=64) + daily(T0, 104)).hits["usage-anomaly"] == ()


def test_spread_baseline_uses_mad() -> None:
    """Baseline alternating 40/80 a day: MAD 20, alert above 60 + 5 * 29.652 = 208.26."""
    rows = [e for d in range(40, 0, -1) for e in daily(T0 - d * DAY, 40 if d % 2 else 80)]
    assert run(rows + daily(T0, 208)).hits["usage-anomaly"] == ()
    (hit,) = run(rows + daily(T0, 209)).hits["usage-anomaly"]
    assert round(hit.evidence["threshold"], 2) == 208.26


def test_small_days_never_page() -> None:
    """A quiet key (2/day) jumping to 40 stays under anomaly_min_events (50)."""
    rows = baseline(per_day=2) + daily(T0, 38)
    assert run(rows).hits["usage-anomaly"] == ()
    settings = DetectionSettings(anomaly_min_events=10)
    assert run(rows, settings=settings).hits["usage-anomaly"]


def test_short_history_is_not_judged() -> None:
    """A key seen for fewer than min_baseline_days is not judged."""
    rows = baseline(days=5) + daily(T0, 500)
    assert run(rows).hits["usage-anomaly"] == ()


def _rates(prev_failed: int, cur_failed: int, total: int = 200) -> list[dict]:
    """Events in the previous and the current 7-day period before AS_OF."""
    prev, cur = AS_OF - 14 * DAY, AS_OF - 7 * DAY
    rows = every(prev, MIN, total - prev_failed)
    rows += every(prev + DAY, MIN, prev_failed, outcome="auth_failed")
    rows += every(cur, MIN, total - cur_failed)
    rows += every(cur + DAY, MIN, cur_failed, outcome="auth_failed")
    return rows


def test_failure_rate_increase_per_key_and_whole_log() -> None:
    """2% -> 15% fires for the key and the whole log; 2% -> 4% does not."""
    hits = run(_rates(4, 30)).hits["failed-auth-rate-increase"]
    assert sorted(h.subject for h in hits) == ["all-events", "k1"]
    key_hit = next(h for h in hits if h.subject == "k1")
    assert key_hit.evidence["current_failures"] == 30
    assert key_hit.evidence["previous_rate"] == 0.02
    assert run(_rates(4, 8)).hits["failed-auth-rate-increase"] == ()


def test_failure_rate_needs_minimum_failures() -> None:
    """19 failures (below rate_min_failures) do not fire even from zero."""
    assert run(_rates(0, 19)).hits["failed-auth-rate-increase"] == ()
    assert run(_rates(0, 20)).hits["failed-auth-rate-increase"]


def test_weekly_trend() -> None:
    """Volume tripled week over week for a key with history is a weekly trend."""
    rows = every(AS_OF - 30 * DAY, DAY, 10) + every(AS_OF - 14 * DAY, MIN, 50)
    rows += every(AS_OF - 7 * DAY, MIN, 151)
    (hit,) = run(rows).hits["usage-trend"]
    assert (hit.evidence["current_events"], hit.evidence["previous_events"]) == (151, 50)
    rows[-1:] = []
    assert run(rows).hits["usage-trend"] == ()
