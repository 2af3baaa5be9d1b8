"""HTML to PDF/A-3b with attached files: the only module that imports WeasyPrint."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import weasyprint

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
