"""Primitives of the chart scenes (texts, lines, rectangles, axes, markers) as plain dicts."""

from __future__ import annotations

from typing import Any

INK = "#1f2933"
MUTED = "#616e7c"
GRID = "#d9dee3"


def text(
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


def line(
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


def rect(
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


def nice_max(value: float) -> int:
    """A round axis maximum at or above ``value``."""
    if value <= 5:
        return 5
    for step in (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 5:
            return int(-(-value // step) * step)
    return int(value)


def axis(
    texts: list, lines: list, left: float, right: float, top: float, base: float, peak: int
) -> None:
    """Horizontal grid lines at 0, half and full scale, labelled on the left."""
    for fraction in (0, 0.5, 1):
        y = base - (base - top) * fraction
        lines.append(line(left, y, right, y, GRID if fraction else INK))
        texts.append(text(left - 4, y + 3, round(peak * fraction), "end", 8, fill=MUTED))


def marker(shape: int, x: float, y: float) -> str:
    """SVG path of a marker: circle, square, triangle or diamond."""
    r = 3.5
    return (
        f"M{x - r},{y} a{r},{r} 0 1,0 {2 * r},0 a{r},{r} 0 1,0 {-2 * r},0",
        f"M{x - r},{y - r} h{2 * r} v{2 * r} h{-2 * r} Z",
        f"M{x},{y - r - 1} L{x + r + 1},{y + r} L{x - r - 1},{y + r} Z",
        f"M{x},{y - r - 1} L{x + r + 1},{y} L{x},{y + r + 1} L{x - r - 1},{y} Z",
    )[shape % 4]


def spread(labels: list[list[Any]], gap: float) -> list[list[Any]]:
    """Label rows ``[y, text, x]`` pushed apart vertically so no two overlap."""
    labels = sorted(labels, key=lambda item: item[0])
    for before, after in zip(labels, labels[1:], strict=False):
        after[0] = max(after[0], before[0] + gap)
    return labels
