"""Chart geometry for the report: vector scenes that ``_chart.html`` turns into SVG.

Each series is told apart by pattern, dash and marker shape as well as colour, and carries a
text label, so the charts read in greyscale.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from toolkit.reports.context import SEVERITIES, ChartFigure
from toolkit.reports.summary import ENV_RANK

INK = "#1f2933"
MUTED = "#616e7c"
GRID = "#d9dee3"
WIDTH = 640
SERIES_DASH = ("", "6 3", "2 2", "8 3 2 3")
SERIES_GREY = ("#1f2933", "#3e4c59", "#616e7c", "#7b8794")


def _text(
    x: float, y: float, text: Any, anchor: str = "start", size: float = 9, **extra: Any
) -> dict[str, Any]:
    """A text primitive."""
    return {
        "x": round(x, 1),
        "y": round(y, 1),
        "text": str(text),
        "anchor": anchor,
        "size": size,
        "weight": extra.get("weight", "normal"),
        "fill": extra.get("fill", INK),
    }


def _line(
    x1: float,
    y1: float,
    x2: float,
    y2: float,
    stroke: str = GRID,
    dash: str = "",
    width: float = 0.8,
) -> dict[str, Any]:
    """A line primitive."""
    return {
        "x1": round(x1, 1),
        "y1": round(y1, 1),
        "x2": round(x2, 1),
        "y2": round(y2, 1),
        "stroke": stroke,
        "dash": dash,
        "width": width,
    }


def _rect(
    x: float, y: float, w: float, h: float, fill: str, title: str = "", stroke: str = INK
) -> dict[str, Any]:
    """A rectangle primitive; ``fill`` may be a pattern id (``url(#...)``) or a colour."""
    return {
        "x": round(x, 1),
        "y": round(y, 1),
        "w": round(max(w, 0), 1),
        "h": round(max(h, 0), 1),
        "fill": fill,
        "title": title,
        "stroke": stroke,
    }


def _nice_max(value: float) -> int:
    """A round axis maximum at or above ``value``."""
    if value <= 5:
        return 5
    for step in (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 5:
            return int(-(-value // step) * step)
    return int(value)


def severity_by_environment(doc: dict[str, Any]) -> ChartFigure:
    """Stacked horizontal bars: findings per environment, one patterned segment per severity."""
    by_env: dict[str, Counter[str]] = {}
    for finding in doc.get("findings", []):
        env = (finding.get("key") or {}).get("environment") or "no key"
        by_env.setdefault(env, Counter())[finding["severity"]] += 1
    envs = sorted(by_env, key=lambda e: (ENV_RANK.get(e, 9), e))
    row, left, right = 32, 80, 60
    height = 30 + row * max(len(envs), 1) + 24
    scale = (WIDTH - left - right) / max([sum(c.values()) for c in by_env.values()] or [1])
    rects, texts, lines = [], [], [_line(left, 18, left, height - 28, INK)]
    for index, env in enumerate(envs):
        y = 30 + index * row
        texts.append(_text(left - 8, y + 15, env, "end", 10, weight="bold"))
        x = left
        for severity in SEVERITIES:
            count = by_env[env][severity]
            if not count:
                continue
            w = count * scale
            rects.append(_rect(x, y + 4, w, 16, f"url(#sev-{severity})", f"{severity}: {count}"))
            if w >= 16:
                texts.append(_text(x + w / 2, y + 1, count, "middle", 8, fill=MUTED))
            x += w
        texts.append(_text(x + 6, y + 16, f"{sum(by_env[env].values())} total", size=9))
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
    top, base = 30, 116
    peak = _nice_max(max(bins.values()))
    bar = (panel - 20) / count
    rects, lines, texts = [], [_line(x0, base, x0 + panel - 20, base, INK)], []
    for index in range(count):
        n = bins.get(index, 0)
        h = (base - top) * n / peak
        over = index * width >= limit
        fill = "url(#age-over)" if over else "#cbd2d9"
        label = f"{index * width}-{(index + 1) * width - 1} d: {n}"
        rects.append(_rect(x0 + index * bar + 1, base - h, bar - 2, h, fill, label))
        if n:
            texts.append(
                _text(x0 + index * bar + bar / 2, base - h - 2, n, "middle", 7, fill=MUTED)
            )
    limit_x = x0 + (limit / width) * bar
    lines.append(_line(limit_x, top - 6, limit_x, base, INK, "4 2", 1.2))
    texts.append(_text(limit_x + 2, top - 8, f"limit {limit} d", size=8, weight="bold"))
    over_count = sum(1 for age in ages if age > limit)
    texts.append(_text(x0, 14, f"{env}: {over_count} of {len(ages)} over", size=10, weight="bold"))
    texts.append(_text(x0, base + 12, "0 d", size=7, fill=MUTED))
    texts.append(_text(x0 + panel - 20, base + 12, f"{count * width} d+", "end", 7, fill=MUTED))
    return rects, lines, texts


def key_age(doc: dict[str, Any]) -> ChartFigure:
    """Small multiples: active keys' age since rotation per environment, against its limit."""
    groups: dict[str, list[int]] = {}
    limits: dict[str, int] = {}
    for key in doc.get("keys", []):
        if key.get("active") is False or key.get("age_days") is None:
            continue
        env = key.get("environment") or "unknown"
        groups.setdefault(env, []).append(int(key["age_days"]))
        limits[env] = int(key.get("rotation_limit_days") or limits.get(env) or 90)
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
        height=132,
        rects=rects,
        lines=lines,
        paths=[],
        texts=texts,
        legend=legend,
        empty=None if envs else "No active keys with a known age.",
    )


def _axis(
    texts: list, lines: list, left: float, right: float, top: float, base: float, peak: int
) -> None:
    """Horizontal grid lines at 0, half and full scale, labelled on the left."""
    for fraction in (0, 0.5, 1):
        y = base - (base - top) * fraction
        lines.append(_line(left, y, right, y, GRID if fraction else INK))
        texts.append(_text(left - 4, y + 3, round(peak * fraction), "end", 8, fill=MUTED))


def failed_auth(doc: dict[str, Any]) -> ChartFigure:
    """Daily failed authentications over the log period, the peak day labelled."""
    series = (doc.get("logs") or {}).get("failed_auth_daily") or []
    left, right, top, base = 44, WIDTH - 10, 16, 118
    rects: list = []
    lines: list = []
    texts: list = []
    if series:
        peak = _nice_max(max(item["count"] for item in series))
        _axis(texts, lines, left, right, top, base, peak)
        step = (right - left) / len(series)
        for index, item in enumerate(series):
            h = (base - top) * item["count"] / peak
            rects.append(
                _rect(
                    left + index * step,
                    base - h,
                    max(step - 0.6, 0.6),
                    h,
                    "#52606d",
                    f"{item['day']}: {item['count']}",
                    stroke="none",
                )
            )
            if item["day"].endswith("-01") or index == 0:
                lines.append(_line(left + index * step, base, left + index * step, base + 4, INK))
                texts.append(_text(left + index * step, base + 13, _month(item["day"]), size=8))
        worst = max(range(len(series)), key=lambda i: series[i]["count"])
        texts.append(
            _text(
                left + worst * step + 4,
                top + 10,
                f"peak {series[worst]['count']} on {series[worst]['day']}",
                size=8,
                weight="bold",
            )
        )
    total = sum(item["count"] for item in series)
    return ChartFigure(
        id="chart-failed-auth",
        title="Failed authentications per day",
        caption=f"{total} failed authentications over the log period." if series else "",
        width=WIDTH,
        height=136,
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


def _marker(shape: int, x: float, y: float) -> str:
    """SVG path of a marker: circle, square, triangle or diamond."""
    r = 3.5
    return (
        f"M{x - r},{y} a{r},{r} 0 1,0 {2 * r},0 a{r},{r} 0 1,0 {-2 * r},0",
        f"M{x - r},{y - r} h{2 * r} v{2 * r} h{-2 * r} Z",
        f"M{x},{y - r - 1} L{x + r + 1},{y + r} L{x - r - 1},{y + r} Z",
        f"M{x},{y - r - 1} L{x + r + 1},{y} L{x},{y + r + 1} L{x - r - 1},{y} Z",
    )[shape % 4]


def _spread(labels: list[list[Any]], gap: float) -> list[list[Any]]:
    """Label rows ``[y, text, x]`` pushed apart vertically so no two overlap."""
    labels = sorted(labels, key=lambda item: item[0])
    for before, after in zip(labels, labels[1:], strict=False):
        after[0] = max(after[0], before[0] + gap)
    return labels


def failing_trend(history: list[tuple[str, dict[str, int]]]) -> ChartFigure:
    """Failing controls per framework across past runs of the same scope, oldest first."""
    left, right, top, base = 44, WIDTH - 110, 16, 118
    frameworks = sorted({fw for _, counts in history for fw in counts})
    lines: list = []
    texts: list = []
    paths: list = []
    ends: list[list[Any]] = []
    if history:
        peak = _nice_max(max([v for _, c in history for v in c.values()] or [1]))
        _axis(texts, lines, left, right, top, base, peak)
        step = (right - left) / max(len(history) - 1, 1)
        for index, (label, _) in enumerate(history):
            texts.append(_text(left + index * step, base + 13, label, "middle", 8))
        for number, fw in enumerate(frameworks):
            points = [
                (left + i * step, base - (base - top) * c.get(fw, 0) / peak)
                for i, (_, c) in enumerate(history)
            ]
            grey, dash = SERIES_GREY[number % 4], SERIES_DASH[number % 4]
            d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points)
            paths.append({"d": d, "stroke": grey, "dash": dash, "fill": "none", "width": 1.6})
            paths += [
                {"d": _marker(number, x, y), "stroke": grey, "dash": "", "fill": grey, "width": 1}
                for x, y in points
            ]
            ends.append([points[-1][1] + 3, f"{fw} ({history[-1][1].get(fw, 0)})", points[-1][0]])
        texts += [_text(x + 8, y, label, size=9) for y, label, x in _spread(ends, 11)]
    return ChartFigure(
        id="chart-trend",
        title="Failing controls across runs of this scope",
        caption=f"{len(history)} run(s), oldest on the left; one line and marker per framework.",
        width=WIDTH,
        height=136,
        rects=[],
        lines=lines,
        paths=paths,
        texts=texts,
        legend=[],
        empty=None if history else "No earlier runs of this scope.",
    )


def all_charts(doc: dict[str, Any], history: list[tuple[str, dict[str, int]]]) -> list[ChartFigure]:
    """The charts page, in reading order."""
    return [severity_by_environment(doc), key_age(doc), failed_auth(doc), failing_trend(history)]
