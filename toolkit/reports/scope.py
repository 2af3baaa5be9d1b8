"""The methodology page's scope words: account labels and inventory extraction warnings."""

from __future__ import annotations

from datetime import datetime

from toolkit.audit.result import InputFile

STALE_DAYS = 7
"""An inventory extracted more than this many days before (or after) the as-of is flagged."""
ACCOUNT_KINDS = {"aws": "AWS account", "gcp": "GCP project", "azure": "Azure key vault"}
"""What a provider's ``account`` is."""


def account_kind(provider: str) -> str:
    """'AWS account', 'GCP project', 'Azure key vault', else 'account'."""
    return ACCOUNT_KINDS.get(provider, "account")


def _parse(value: str) -> datetime:
    """An ISO 8601 UTC text as an aware datetime."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def extraction_note(item: InputFile, as_of: str) -> str | None:
    """A warning when an inventory was extracted long before or after the as-of, else None."""
    if not item.extracted_at:
        return None
    days = (_parse(as_of) - _parse(item.extracted_at)).total_seconds() / 86400
    if days > STALE_DAYS:
        return (
            f"extracted {days:.0f} days before the as-of: keys created, rotated or revoked "
            "since then are not in this audit"
        )
    if -days > STALE_DAYS and item.extracted_basis == "import time":
        return (
            f"imported {-days:.0f} days after the as-of; when it was extracted is not known, so "
            "it may show the keys as they were after the as-of"
        )
    if -days > STALE_DAYS:
        return (
            f"extracted {-days:.0f} days after the as-of: it shows the keys as they were then, "
            "not at the as-of (a key revoked later looks revoked)"
        )
    return None
