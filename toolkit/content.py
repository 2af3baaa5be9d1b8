"""Where the shipped content folders (playbooks, report templates) are, installed or not."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
CONTENT_FOLDERS = ("playbooks", "report_templates")


def content_dir(name: str) -> Path:
    """The folder ``name`` inside the wheel (``toolkit/_content``) or at the repository top."""
    if name not in CONTENT_FOLDERS:
        raise KeyError(name)
    for candidate in (_PACKAGE / "_content" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"keyvigil content folder {name!r} is not installed")
