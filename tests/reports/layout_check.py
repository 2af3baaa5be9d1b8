"""Layout rules every report page must keep: no text past a margin, no needlessly empty page."""

from __future__ import annotations

from toolkit.reports.pdf import PageLayout

MIN_FILL = 1 / 3
"""A page under a third full is allowed only as the last page of a section."""


def overflowing(pages: list[PageLayout]) -> list[tuple[int, str]]:
    """(page, text) of every text that ends past the page's content area or its table cell."""
    return [(page.number, text) for page in pages for text in page.overflow]


def sparse(pages: list[PageLayout]) -> list[tuple[int, float]]:
    """(page, fill) of pages under a third full that do not end a section."""
    return [
        (page.number, page.fill)
        for page, after in zip(pages, pages[1:], strict=False)
        if page.fill < MIN_FILL and not after.sections
    ]
