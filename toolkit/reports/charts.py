"""Chart geometry for the report: vector scenes that ``_chart.html`` turns into SVG.

Each series is told apart by pattern, dash and marker shape as well as colour, and carries a
text label, so the charts read in greyscale.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from toolkit.audit.result import ResultDocument
from toolkit.reports import svg
from toolkit.reports.context import SEVERITIES, ChartFigure
from toolkit.reports.summary import ENV_RANK, key_environment

WIDTH = 640
SERIES_DASH = ("", "6 3", "2 2", "8 3 2 3")
SERIES_GREY = ("#1f2933", "#3e4c59", "#616e7c", "#7b8794")


def severity_by_environment(doc: ResultDocument) -> ChartFigure:
    """Stacked horizontal bars: findings per environment, one patterned segment per severity."""
    by_env: dict[str, Counter[str]] = {}
    for finding in doc.findings:
        env = key_environment(finding) or "no key"
        by_env.setdefault(env, Counter())[finding.severity] += 1
    envs = sorted(by_env, key=lambda e: (ENV_RANK.get(e, 9), e))
    row, left, right = 32, 80, 60
    height = 30 + row * max(len(envs), 1) + 24
    scale = (WIDTH - left - right) / max([sum(c.values()) for c in by_env.values()] or [1])
    rects, texts, lines = [], [], [svg.line(left, 18, left, height - 28, svg.INK)]
    for index, env in enumerate(envs):
        y = 30 + index * row
        texts.append(svg.text(left - 8, y + 15, env, "end", 10, weight="bold"))
        x: float = left
        for severity in SEVERITIES:
            count = by_env[env][severity]
            if not count:
                continue
            w = count * scale
            rects.append(svg.rect(x, y + 4, w, 16, f"url(#sev-{severity})", f"{severity}: {count}"))
            if w >= 16:
                texts.append(svg.text(x + w / 2, y + 1, count, "middle", 8, fill=svg.MUTED))
            x += w
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


def _age_bins(limit: int, oldest: int) -> tuple[int, int]:
    """Bin width (a third of the limit) and number of bins covering ``oldest``, at most 12."""
    width = max(1, round(limit / 3))
    return width, min(12, max(6, oldest // width + 1))


def _age_panel(
    env: str, ages: list[int], limit: int, x0: float, panel: float
) -> tuple[list, list, list]:
    """One environment's histogram of key ages with the rotation limit marked."""
    width, count = _age_bins(limit, max(ages))
    bins = Counter(min(age // width, count - 1) for age in ages)
    top, base = 30, 104
    peak = svg.nice_max(max(bins.values()))
    bar = (panel - 20) / count
    rects, lines, texts = [], [svg.line(x0, base, x0 + panel - 20, base, svg.INK)], []
    for index in range(count):
        n = bins.get(index, 0)
        h = (base - top) * n / peak
        over = index * width >= limit
        fill = "url(#age-over)" if over else "#cbd2d9"
        label = f"{index * width}-{(index + 1) * width - 1} d: {n}"
        rects.append(svg.rect(x0 + index * bar + 1, base - h, bar - 2, h, fill, label))
        if n:
            texts.append(
                svg.text(x0 + index * bar + bar / 2, base - h - 2, n, "middle", 7, fill=svg.MUTED)
            )
    limit_x = x0 + (limit / width) * bar
    lines.append(svg.line(limit_x, top - 6, limit_x, base, svg.INK, "4 2", 1.2))
    texts.append(svg.text(limit_x + 2, top - 8, f"limit {limit} d", size=8, weight="bold"))
    over_count = sum(1 for age in ages if age > limit)
    texts.append(
        svg.text(x0, 14, f"{env}: {over_count} of {len(ages)} over", size=10, weight="bold")
    )
    texts.append(svg.text(x0, base + 12, "0 d", size=7, fill=svg.MUTED))
    texts.append(
        svg.text(x0 + panel - 20, base + 12, f"{count * width} d+", "end", 7, fill=svg.MUTED)
    )
    return rects, lines, texts


def key_age(doc: ResultDocument) -> ChartFigure:
    """Small multiples: active keys' age since rotation per environment, against its limit."""
    groups: dict[str, list[int]] = {}
    limits: dict[str, int] = {}
    for key in doc.keys:
        if not key.active or key.age_days is None:
            continue
        env = key.environment or "unknown"
        groups.setdefault(env, []).append(key.age_days)
        limits[env] = int(key.rotation_limit_days or limits.get(env) or 90)
    envs = sorted(groups, key=lambda e: (ENV_RANK.get(e, 9), e))[:4]
    panel = WIDTH / max(len(envs), 1)
    rects: list = []
    lines: list = []
    texts: list = []
    for index, env in enumerate(envs):
        r, li, t = _age_panel(env, groups[env], limits[env], index * panel + 4, panel)
        rects += r
        lines += li
        texts += t
    legend = [
        {"fill": "#cbd2d9", "label": "within the limit"},
        {"fill": "url(#age-over)", "label": "over the limit"},
    ]
    return ChartFigure(
        id="chart-key-age",
        title="Key age since last rotation, against the rotation limit",
        caption="Active keys per environment; bars right of the dashed line are overdue.",
        width=WIDTH,
        height=120,
        rects=rects,
        lines=lines,
        paths=[],
        texts=texts,
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
        label = f"peak {series[worst].count} on {series[worst].day}"
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


def failing_trend(history: list[tuple[str, dict[str, int]]]) -> ChartFigure:
    """Failing controls per framework across past runs of the same scope, oldest first."""
    left, right, top, base = 44, WIDTH - 110, 16, 100
    frameworks = sorted({fw for _, counts in history for fw in counts})
    lines: list = []
    texts: list = []
    paths: list = []
    ends: list[list[Any]] = []
    if history:
        peak = svg.nice_max(max([v for _, c in history for v in c.values()] or [1]))
        svg.axis(texts, lines, left, right, top, base, peak)
        step = (right - left) / max(len(history) - 1, 1)
        for index, (label, _) in enumerate(history):
            texts.append(svg.text(left + index * step, base + 13, label, "middle", 8))
        for number, fw in enumerate(frameworks):
            points = [
                (left + i * step, base - (base - top) * c.get(fw, 0) / peak)
                for i, (_, c) in enumerate(history)
            ]
            grey, dash = SERIES_GREY[number % 4], SERIES_DASH[number % 4]
            d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points)
            paths.append({"d": d, "stroke": grey, "dash": dash, "fill": "none", "width": 1.6})
            paths += [
                {
                    "d": svg.marker(number, x, y),
                    "stroke": grey,
                    "dash": "",
                    "fill": grey,
                    "width": 1,
                }
                for x, y in points
            ]
            ends.append([points[-1][1] + 3, f"{fw} ({history[-1][1].get(fw, 0)})", points[-1][0]])
        texts += [svg.text(x + 8, y, label, size=9) for y, label, x in svg.spread(ends, 11)]
    return ChartFigure(
        id="chart-trend",
        title="Failing controls across runs of this scope",
        caption=f"{len(history)} run(s), oldest on the left; one line and marker per framework.",
        width=WIDTH,
        height=118,
        rects=[],
        lines=lines,
        paths=paths,
        texts=texts,
        legend=[],
        empty=None if history else "No earlier runs of this scope.",
    )


def all_charts(doc: ResultDocument, history: list[tuple[str, dict[str, int]]]) -> list[ChartFigure]:
    """The charts page, in reading order."""
    return [severity_by_environment(doc), key_age(doc), failed_auth(doc), failing_trend(history)]
