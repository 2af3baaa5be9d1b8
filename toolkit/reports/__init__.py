"""Rendering audit reports: HTML (Jinja2) -> PDF/A (WeasyPrint); exporters live in ``exporters/``."""
