"""Reading keys back: listing, finding one by id, and plain-data views of a key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from toolkit.errors import UsageError
from toolkit.fingerprint import fingerprint_prefix
from toolkit.models import KeyBase
from toolkit.store.tables import Key
from toolkit.timeutil import ensure_utc, isoformat

LIST_COLUMNS: tuple[str, ...] = (
    "provider",
    "key_id",
    "environment",
    "owner",
    "state",
    "created_at",
    "expires_at",
)
LIST_COLUMNS += ("last_used_at", "strength")
SEED_MIN_BITS = 256.0
"""The seed policy's minimum key entropy (``min_entropy_bits``), used when no policy is given."""


def find_key(session: Session, key_id: str, provider: str | None = None) -> Key:
    """The one key with this id; several providers holding it need ``--provider``."""
    query = select(Key).where(Key.key_id == key_id)
    if provider:
        query = query.where(Key.provider == provider)
    found = session.exec(query.order_by(Key.provider)).all()
    if not found:
        raise UsageError(f"no key with id {key_id!r}" + (f" from {provider}" if provider else ""))
    if len(found) > 1:
        providers = ", ".join(k.provider for k in found)
        raise UsageError(
            f"key id {key_id!r} is held by several providers ({providers}); use --provider"
        )
    return found[0]


def key_state(key: KeyBase, as_of: datetime) -> str:
    """revoked, disabled, expired or active, as at ``as_of``."""
    if key.revoked or key.revoked_at is not None:
        return "revoked"
    if not key.enabled:
        return "disabled"
    if key.expires_at is not None and ensure_utc(key.expires_at) <= as_of:
        return "expired"
    return "active"


FIELDS = tuple(KeyBase.model_fields)
"""A stored key's fields, in order (pydantic works the mapping out again on each access)."""


def key_view(
    key: KeyBase, as_of: datetime, min_entropy_bits: float = SEED_MIN_BITS
) -> dict[str, Any]:
    """Every stored field of a key (never a value: none is stored) plus its state and strength.

    The fingerprint is shown as its prefix only (``fingerprint_prefix``); ``weak_key`` is True
    when the key's known entropy is under ``min_entropy_bits`` (None when unknown).
    """
    view: dict[str, Any] = {}
    for name in FIELDS:
        value = getattr(key, name)
        view[name] = isoformat(value) if isinstance(value, datetime) else value
    view["fingerprint_prefix"] = fingerprint_prefix(view.pop("fingerprint"))
    view["state"] = key_state(key, as_of)
    bits = key.entropy_bits
    view["weak_key"] = None if bits is None else bits < min_entropy_bits
    view["strength"] = strength(bits, min_entropy_bits)
    return view


def strength(bits: float | None, min_entropy_bits: float) -> str:
    """``WEAK (n bits)`` under the minimum, ``ok`` at or above it, ``-`` when unknown."""
    if bits is None:
        return "-"
    return f"WEAK ({bits:g} bits < {min_entropy_bits:g})" if bits < min_entropy_bits else "ok"
