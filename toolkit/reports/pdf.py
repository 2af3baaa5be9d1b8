"""HTML to PDF/A-3b with attached files, and page measures: the only module importing WeasyPrint."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import weasyprint
from weasyprint.formatting_structure import boxes as wp_boxes

PDF_VARIANT = "pdf/a-3b"

logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


@dataclass(frozen=True)
class PdfAttachment:
    """A file carried inside the PDF; ``relationship`` is PDF/A-3's AFRelationship."""

    name: str
    data: bytes
    description: str
    relationship: str = "Data"


@dataclass(frozen=True)
class PdfOutput:
    """The PDF's bytes and its page count."""

    data: bytes
    pages: int


def html_to_pdf(
    html: str,
    *,
    base_url: str,
    attachments: Sequence[PdfAttachment] = (),
    when: datetime | None = None,
) -> PdfOutput:
    """Lay out ``html`` and write PDF/A-3b with ``attachments`` and the page's meta tags.

    ``<meta name=keywords>`` and ``<meta name=description>`` go to the document information and
    XMP metadata; other ``<meta>`` names go to the information dictionary as custom keys.
    """
    document = weasyprint.HTML(string=html, base_url=base_url).render()
    files = [
        weasyprint.Attachment(
            file_obj=io.BytesIO(item.data),
            name=item.name,
            description=item.description,
            relationship=item.relationship,
            created=when,
            modified=when,
        )
        for item in attachments
    ]
    data = document.write_pdf(attachments=files, pdf_variant=PDF_VARIANT, custom_metadata=True)
    return PdfOutput(data=data, pages=len(document.pages))


@dataclass(frozen=True)
class PageLayout:
    """One laid-out page: how full it is, text past its edge, the sections that start on it."""

    number: int
    fill: float
    """Share of the content area's height down to the lowest line of text."""
    overflow: tuple[str, ...]
    """Texts ending past the right edge of the content area or of their table cell."""
    sections: tuple[str, ...]
    """Ids of the ``<section>`` elements whose first part is on this page."""


def _boxes(box: Any, cell: Any = None) -> Iterator[tuple[Any, Any]]:
    """Every box under ``box`` (page margin boxes left out) with its enclosing table cell."""
    if isinstance(box, wp_boxes.MarginBox):
        return
    if isinstance(box, wp_boxes.TableCellBox):
        cell = box
    yield box, cell
    for child in getattr(box, "children", None) or ():
        yield from _boxes(child, cell)


TOLERANCE = 0.5
"""CSS pixels a text may reach past an edge (rounding in the layout)."""


def _page_layout(number: int, page_box: Any, seen: set[str]) -> PageLayout:
    """Measure one page box."""
    right = page_box.content_box_x() + page_box.width
    lowest, overflow, sections = page_box.content_box_y(), [], []
    for box, cell in _boxes(page_box):
        if box.element_tag == "section" and box.element is not None:
            ident = box.element.get("id") or ""
            if ident and ident not in seen:
                seen.add(ident)
                sections.append(ident)
        if not isinstance(box, wp_boxes.TextBox) or not box.text.strip():
            continue
        end = box.position_x + box.width
        lowest = max(lowest, box.position_y + box.height)
        edge = right if cell is None else min(right, cell.position_x + cell.border_width())
        if end > edge + TOLERANCE:
            overflow.append(box.text)
    fill = (lowest - page_box.content_box_y()) / page_box.height
    return PageLayout(number, round(fill, 3), tuple(overflow), tuple(sections))


def layout_pages(html: str, *, base_url: str) -> list[PageLayout]:
    """Lay out ``html`` as the PDF would be and measure each page (for layout checks)."""
    document = weasyprint.HTML(string=html, base_url=base_url).render()
    seen: set[str] = set()
    return [
        _page_layout(number, page._page_box, seen)  # WeasyPrint has no public box API
        for number, page in enumerate(document.pages, 1)
    ]
