"""Audit report rendering: HTML (Jinja2) to PDF/A (WeasyPrint); exporters in ``exporters/``."""
