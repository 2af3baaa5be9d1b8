"""Charts: one labelled point per run, histograms on one labelled scale, every segment counted."""

from __future__ import annotations

from tests.reports.conftest import load_sample
from toolkit.reports.charts import key_age, severity_by_environment
from toolkit.reports.context import ChartFigure
from toolkit.reports.trend import TrendPoint, failing_trend


def texts(chart: ChartFigure) -> list[str]:
    """Every text of the chart."""
    return [t["text"] for t in chart.texts]


def test_two_runs_on_one_as_of_are_two_labelled_points() -> None:
    history = [
        TrendPoint("2026-07-01", "run-20260701-aaaa0001", {"soc2": 5}),
        TrendPoint("2026-10-01", "run-20261001-bbbb0002", {"soc2": 4}),
        TrendPoint("2026-10-01", "run-20261001-cccc0003", {"soc2": 4}),
    ]
    chart = failing_trend(history)
    markers = [p for p in chart.paths if p["fill"] != "none"]
    assert len(markers) == 3
    xs = [float(p["d"][1:].split(",")[0]) for p in markers]
    assert len(set(xs)) == 3
    labels = texts(chart)
    assert labels.count("1 Oct 2026") == 2 and labels.count("1 Jul 2026") == 1
    assert {"run aaaa0001", "run bbbb0002", "run cccc0003"} <= set(labels)
    assert "re-runs" in chart.caption


def test_trend_orders_points_by_as_of() -> None:
    late = TrendPoint("2026-10-01", "run-b", {"soc2": 1})
    early = TrendPoint("2026-04-01", "run-a", {"soc2": 9})
    labels = [t for t in texts(failing_trend([late, early])) if "2026" in t]
    assert labels == ["1 Apr 2026", "1 Oct 2026"]


def test_key_age_panels_share_one_labelled_scale() -> None:
    chart = key_age(load_sample())
    bins = [t for t in chart.texts if t["size"] == 6.5]
    per_row: dict[float, list[tuple[float, str]]] = {}
    for item in bins:
        per_row.setdefault(item["y"], []).append((item["x"], item["text"]))
    rows = list(per_row.values())
    assert len(rows) >= 2
    assert all(row == rows[0] for row in rows)  # same bins at the same places in every row
    assert rows[0][0][1].startswith("0-")


def test_every_severity_segment_is_labelled_even_a_single_finding() -> None:
    doc = load_sample()
    chart = severity_by_environment(doc)
    segments = [r for r in chart.rects if r["fill"].startswith("url(#sev-")]
    counts = [t for t in chart.texts if t["size"] == 8]
    assert len(counts) == len(segments)
    assert any(r["title"].endswith(": 1") for r in segments)
