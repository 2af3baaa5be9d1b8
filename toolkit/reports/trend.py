"""The trend chart: failing controls per framework, one labelled point per run of the scope."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from toolkit.reports import svg
from toolkit.reports.context import ChartFigure

WIDTH = 640
SERIES_DASH = ("", "6 3", "2 2", "8 3 2 3")
SERIES_GREY = ("#1f2933", "#3e4c59", "#616e7c", "#7b8794")
LEFT, RIGHT, TOP, BASE = 44, WIDTH - 110, 16, 100


@dataclass(frozen=True)
class TrendPoint:
    """One run of the scope on the trend: its as-of date, id and failing controls per framework."""

    as_of: str
    run_id: str
    fails: dict[str, int]


def day_label(as_of: str) -> str:
    """'1 Oct 2026' from '2026-10-01' (the text itself when it is not a date)."""
    try:
        day = date.fromisoformat(as_of[:10])
    except ValueError:
        return as_of
    return f"{day.day} {day:%b %Y}"


def run_label(run_id: str, index: int) -> str:
    """A run's short label under its point: the id's last part, else 'run N'."""
    return f"run {run_id.rsplit('-', 1)[-1][:8]}" if run_id else f"run {index + 1}"


def _x_labels(points: Sequence[TrendPoint], step: float) -> list[dict[str, Any]]:
    """Each point's as-of date and run under the axis."""
    texts = []
    for index, point in enumerate(points):
        x = LEFT + index * step
        texts.append(svg.text(x, BASE + 12, day_label(point.as_of), "middle", 8))
        texts.append(
            svg.text(x, BASE + 22, run_label(point.run_id, index), "middle", 7, fill=svg.MUTED)
        )
    return texts


def _series(
    points: Sequence[TrendPoint], fw: str, number: int, peak: int, step: float
) -> tuple[list[dict[str, Any]], tuple[float, float]]:
    """One framework's line and markers; returns the paths and its last point."""
    xy = [
        (LEFT + i * step, BASE - (BASE - TOP) * p.fails.get(fw, 0) / peak)
        for i, p in enumerate(points)
    ]
    grey, dash = SERIES_GREY[number % 4], SERIES_DASH[number % 4]
    paths = [
        {"d": svg.marker(number, x, y), "stroke": grey, "dash": "", "fill": grey, "width": 1}
        for x, y in xy
    ]
    if len(xy) > 1:
        d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in xy)
        paths.insert(0, {"d": d, "stroke": grey, "dash": dash, "fill": "none", "width": 1.6})
    return paths, xy[-1]


def caption(points: Sequence[TrendPoint]) -> str:
    """What the chart shows, saying when runs share an as-of date."""
    text = (
        f"{len(points)} run(s) in as-of order, one labelled point per run and a line per framework."
    )
    days = [p.as_of[:10] for p in points]
    shared = sorted({d for d in days if days.count(d) > 1})
    if shared:
        text += (
            " Runs sharing an as-of date (" + ", ".join(map(day_label, shared)) + ") are re-runs."
        )
    return text


def failing_trend(history: Sequence[TrendPoint]) -> ChartFigure:
    """Failing controls per framework across runs of the same scope, oldest as-of first."""
    points = sorted(history, key=lambda p: p.as_of)  # stable: re-runs keep their creation order
    frameworks = sorted({fw for p in points for fw in p.fails})
    lines: list[dict[str, Any]] = []
    texts: list[dict[str, Any]] = []
    paths: list[dict[str, Any]] = []
    ends: list[list[Any]] = []
    if points:
        peak = svg.nice_max(max([v for p in points for v in p.fails.values()] or [1]))
        svg.axis(texts, lines, LEFT, RIGHT, TOP, BASE, peak)
        step = (RIGHT - LEFT) / max(len(points) - 1, 1)
        texts += _x_labels(points, step)
        for number, fw in enumerate(frameworks):
            drawn, (x, y) = _series(points, fw, number, peak, step)
            paths += drawn
            ends.append([y + 3, f"{fw} ({points[-1].fails.get(fw, 0)})", x])
        texts += [svg.text(x + 8, y, label, size=9) for y, label, x in svg.spread(ends, 11)]
    return ChartFigure(
        id="chart-trend",
        title="Failing controls across runs of this scope",
        caption=caption(points),
        width=WIDTH,
        height=128,
        rects=[],
        lines=lines,
        paths=paths,
        texts=texts,
        legend=[],
        empty=None if points else "No earlier runs of this scope.",
    )
