"""Chart geometry for the report: vector scenes that ``_chart.html`` turns into SVG.

Each series is told apart by pattern, dash and marker shape as well as colour, and carries a
text label, so the charts read in greyscale.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from toolkit.audit.result import ResultDocument
from toolkit.reports import svg
from toolkit.reports.context import SEVERITIES, ChartFigure
from toolkit.reports.evidence import when
from toolkit.reports.summary import ENV_RANK, key_environment
from toolkit.reports.trend import TrendPoint, failing_trend

WIDTH = 640


@dataclass
class Scene:
    """Primitives of one chart part, gathered before they become a ``ChartFigure``."""

    rects: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    texts: list[dict[str, Any]] = field(default_factory=list)

    def add(self, other: Scene) -> None:
        """Append another part's primitives."""
        self.rects += other.rects
        self.lines += other.lines
        self.texts += other.texts


def spread_x(labels: list[list[Any]], gap: float = 12) -> list[list[Any]]:
    """Labels ``[x, text]`` in order, pushed right so no two overlap."""
    for before, after in zip(labels, labels[1:], strict=False):
        after[0] = max(after[0], before[0] + gap)
    return labels


def severity_by_environment(doc: ResultDocument) -> ChartFigure:
    """Stacked horizontal bars: findings per environment, one patterned segment per severity."""
    by_env: dict[str, Counter[str]] = {}
    for finding in doc.findings:
        env = key_environment(finding) or "no key"
        by_env.setdefault(env, Counter())[finding.severity] += 1
    envs = sorted(by_env, key=lambda e: (ENV_RANK.get(e, 9), e))
    row, left, right = 26, 80, 60
    height = 30 + row * max(len(envs), 1) + 24
    scale = (WIDTH - left - right) / max([sum(c.values()) for c in by_env.values()] or [1])
    rects, texts, lines = [], [], [svg.line(left, 18, left, height - 28, svg.INK)]
    for index, env in enumerate(envs):
        y = 30 + index * row
        texts.append(svg.text(left - 8, y + 15, env, "end", 10, weight="bold"))
        x: float = left
        labels: list[list[Any]] = []
        for severity in SEVERITIES:
            count = by_env[env][severity]
            if not count:
                continue
            w = count * scale
            rects.append(svg.rect(x, y + 4, w, 16, f"url(#sev-{severity})", f"{severity}: {count}"))
            labels.append([x + w / 2, count])
            x += w
        texts += [svg.text(at, y + 1, n, "middle", 8, fill=svg.MUTED) for at, n in spread_x(labels)]
        texts.append(svg.text(x + 6, y + 16, f"{sum(by_env[env].values())} total", size=9))
    legend = [{"fill": f"url(#sev-{s})", "label": s} for s in SEVERITIES]
    return ChartFigure(
        id="chart-severity",
        title="Findings by severity and environment",
        caption="Each bar is one environment; segments run from critical (left) to info.",
        width=WIDTH,
        height=height,
        rects=rects,
        lines=lines,
        paths=[],
        texts=texts,
        legend=legend,
        empty=None if envs else "No findings in this run.",
    )


MAX_BINS = 16
ROW = 64


def age_bins(limits: Sequence[int], oldest: int) -> tuple[int, int]:
    """Bin width and count shared by every environment.

    The width divides every rotation limit (so no bin straddles one), is at least a week where
    the limits allow, and the last of at most ``MAX_BINS`` bins takes every older key.
    """
    common = math.gcd(*limits) if limits else 30
    width = common
    while width // 2 >= 7 and width % 2 == 0 and oldest // width + 1 < MAX_BINS // 2:
        width //= 2
    return width, max(1, min(oldest // width + 1, MAX_BINS))


def _age_row(
    env: str, ages: list[int], limit: int, y0: float, bins: tuple[int, int, bool]
) -> Scene:
    """One environment's histogram on the shared x-scale: bins labelled, its limit marked."""
    width, count, open_ended = bins
    left, right = 60, WIDTH - 10
    bar = (right - left) / count
    top, base = y0 + 20, y0 + 50
    counts = Counter(min(age // width, count - 1) for age in ages)
    peak = max(counts.values())
    scene = Scene(lines=[svg.line(left, base, right, base, svg.INK)])
    for index in range(count):
        n = counts.get(index, 0)
        h = (base - top) * n / peak
        fill = "url(#age-over)" if index * width >= limit else "#cbd2d9"
        last = open_ended and index == count - 1
        span = f"{index * width}+" if last else f"{index * width}-{(index + 1) * width - 1}"
        scene.rects.append(
            svg.rect(left + index * bar + 1, base - h, bar - 2, h, fill, f"{span} d: {n}")
        )
        scene.texts.append(
            svg.text(left + (index + 0.5) * bar, base + 9, span, "middle", 6.5, fill=svg.MUTED)
        )
        if n:
            scene.texts.append(svg.text(left + (index + 0.5) * bar, base - h - 2, n, "middle", 7))
    limit_x = left + min(limit / width, count) * bar
    scene.lines.append(svg.line(limit_x, y0 + 4, limit_x, base, svg.INK, "4 2", 1.2))
    scene.texts.append(svg.text(limit_x + 3, y0 + 10, f"limit {limit} d", size=7.5, weight="bold"))
    over = sum(1 for age in ages if age > limit)
    scene.texts.append(svg.text(left - 6, top + 4, env, "end", 9, weight="bold"))
    scene.texts.append(
        svg.text(left - 6, top + 15, f"{over} of {len(ages)} over", "end", 7, fill=svg.MUTED)
    )
    return scene


def key_age(doc: ResultDocument) -> ChartFigure:
    """Small multiples on one x-scale: active keys' age since rotation per environment."""
    groups: dict[str, list[int]] = {}
    limits: dict[str, int] = {}
    for key in doc.keys:
        if not key.active or key.age_days is None:
            continue
        env = key.environment or "unknown"
        groups.setdefault(env, []).append(key.age_days)
        limits[env] = int(key.rotation_limit_days or limits.get(env) or 90)
    envs = sorted(groups, key=lambda e: (ENV_RANK.get(e, 9), e))[:4]
    oldest = max([max(groups[e]) for e in envs] + [limits[e] for e in envs] + [0])
    width, count = age_bins([limits[e] for e in envs], oldest)
    bins = (width, count, count * width <= oldest)
    scene = Scene()
    for index, env in enumerate(envs):
        scene.add(_age_row(env, groups[env], limits[env], index * ROW, bins))
    legend = [
        {"fill": "#cbd2d9", "label": "within the limit"},
        {"fill": "url(#age-over)", "label": "over the limit"},
    ]
    return ChartFigure(
        id="chart-key-age",
        title="Key age since last rotation, against the rotation limit",
        caption=f"Active keys per environment, days since rotation in bins of {width} days on "
        "one scale; bars right of the dashed line are overdue.",
        width=WIDTH,
        height=max(len(envs), 1) * ROW,
        rects=scene.rects,
        lines=scene.lines,
        paths=[],
        texts=scene.texts,
        legend=legend,
        empty=None if envs else "No active keys with a known age.",
    )


def failed_auth(doc: ResultDocument) -> ChartFigure:
    """Daily failed authentications over the log period, the peak day labelled."""
    series = doc.logs.failed_auth_daily if doc.logs else []
    left, right, top, base = 44, WIDTH - 10, 16, 100
    rects: list = []
    lines: list = []
    texts: list = []
    if series:
        peak = svg.nice_max(max(item.count for item in series))
        svg.axis(texts, lines, left, right, top, base, peak)
        step = (right - left) / len(series)
        for index, item in enumerate(series):
            h = (base - top) * item.count / peak
            rects.append(
                svg.rect(
                    left + index * step,
                    base - h,
                    max(step - 0.6, 0.6),
                    h,
                    "#52606d",
                    f"{item.day}: {item.count}",
                    stroke="none",
                )
            )
            if item.day.endswith("-01") or index == 0:
                lines.append(
                    svg.line(left + index * step, base, left + index * step, base + 4, svg.INK)
                )
                texts.append(svg.text(left + index * step, base + 13, _month(item.day), size=8))
        worst = max(range(len(series)), key=lambda i: series[i].count)
        at = left + worst * step
        late = at > (left + right) / 2
        label = f"peak {series[worst].count} on {when(series[worst].day, with_time=False)}"
        texts.append(
            svg.text(
                at - 4 if late else at + 4,
                top + 10,
                label,
                "end" if late else "start",
                8,
                weight="bold",
            )
        )
    total = sum(item.count for item in series)
    return ChartFigure(
        id="chart-failed-auth",
        title="Failed authentications per day",
        caption=f"{total} failed authentications over the log period." if series else "",
        width=WIDTH,
        height=118,
        rects=rects,
        lines=lines,
        paths=[],
        texts=texts,
        legend=[],
        empty=None if series else "No access logs were given, so no activity is shown.",
    )


def _month(day: str) -> str:
    """'Jul 2026' from '2026-07-01'."""
    return date.fromisoformat(day).strftime("%b %Y")


def all_charts(doc: ResultDocument, history: Sequence[TrendPoint]) -> list[ChartFigure]:
    """The charts page, in reading order."""
    return [severity_by_environment(doc), key_age(doc), failed_auth(doc), failing_trend(history)]
