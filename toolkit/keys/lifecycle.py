"""Key records in the inventory: create a generated key, link a replacement, revoke with reason.

Each change is written in the caller's session and appended to the trail with the fingerprint
only; no function here ever receives or stores a key value.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from toolkit.errors import KeysError
from toolkit.keys.secret import NewSecret
from toolkit.models import KeyBase
from toolkit.store.tables import Key
from toolkit.timeutil import isoformat
from toolkit.trail import append

GENERATED_PROVIDER = "house"
"""Provider of keys keyvigil generated itself when no other provider is named."""


@dataclass(frozen=True)
class KeyRef:
    """Which key, and the facts an incident or a schedule shows about it."""

    provider: str
    key_id: str
    name: str | None
    owner: str | None
    environment: str | None
    revoked_at: datetime | None
    fingerprint: str | None


@dataclass(frozen=True)
class KeySpec:
    """What a new key record says about itself (never its value)."""

    name: str
    owner: str | None
    environment: str | None
    purpose: str | None = None
    scopes: tuple[str, ...] = ()
    expires_at: datetime | None = None
    provider: str = GENERATED_PROVIDER
    key_id: str | None = None


@dataclass(frozen=True)
class Revocation:
    """A key's revocation: when, why, and whether it had been revoked already."""

    key: KeyRef
    revoked_at: datetime
    reason: str
    already_revoked: bool


def key_ref(key: KeyBase) -> KeyRef:
    """The frozen view of a stored key."""
    return KeyRef(
        key.provider,
        key.key_id,
        key.name,
        key.owner,
        key.environment,
        key.revoked_at,
        key.fingerprint,
    )


def new_key_id() -> str:
    """A fresh identifier for a generated key, unrelated to its value."""
    return f"kv_{secrets.token_hex(8)}"


def find_key(session: Session, key_id: str, provider: str | None = None) -> Key:
    """The stored key with this id (and provider); unknown or ambiguous ids are errors."""
    query = select(Key).where(Key.key_id == key_id)
    if provider is not None:
        query = query.where(Key.provider == provider)
    rows = session.exec(query).all()
    if not rows:
        raise KeysError(f"key {key_id}: not in the inventory")
    if len(rows) > 1:
        names = ", ".join(sorted(row.provider for row in rows))
        raise KeysError(f"key {key_id}: held by several providers ({names}); name the provider")
    return rows[0]


def create_key(
    session: Session, spec: KeySpec, secret: NewSecret, *, actor: str, at: datetime
) -> KeyRef:
    """Record a newly generated key (fingerprint and metadata only) and trail it."""
    key_id = spec.key_id or new_key_id()
    if session.exec(select(Key).where(Key.provider == spec.provider, Key.key_id == key_id)).first():
        raise KeysError(f"key {key_id}: already in the inventory")
    key = _new_row(spec, key_id, secret, at)
    session.add(key)
    session.flush()
    append(session, actor=actor, action="key.generated", payload=_payload(key), at=at)
    return key_ref(key)


def create_replacement(
    session: Session,
    old_key_id: str,
    secret: NewSecret,
    *,
    actor: str,
    at: datetime,
    expires_at: datetime | None,
    provider: str | None = None,
    new_key_id: str | None = None,
) -> KeyRef:
    """Record the key that replaces ``old_key_id``: same owner, environment and scopes, linked."""
    old = find_key(session, old_key_id, provider)
    spec = KeySpec(
        name=f"{old.name or old.key_id} (replacement)",
        owner=old.owner,
        environment=old.environment,
        purpose=old.purpose,
        scopes=tuple(old.scopes or ()),
        expires_at=expires_at,
        provider=old.provider,
        key_id=new_key_id,
    )
    key_id = spec.key_id or new_key_id_for(old)
    key = _new_row(spec, key_id, secret, at)
    key.replaces = old.key_id
    session.add(key)
    session.flush()
    payload = {**_payload(key), "replaces": old.key_id}
    append(session, actor=actor, action="key.replaced", payload=payload, at=at)
    return key_ref(key)


def new_key_id_for(old: Key) -> str:
    """The id of a replacement: the old id with a fresh suffix, so the lineage reads clearly."""
    return f"{old.key_id}-r{secrets.token_hex(3)}"


def revoke_key(
    session: Session,
    key_id: str,
    *,
    reason: str,
    actor: str,
    at: datetime,
    provider: str | None = None,
) -> Revocation:
    """Mark the key revoked at ``at`` with its reason; a revoked key keeps its first revocation."""
    if not reason.strip():
        raise KeysError(f"key {key_id}: a revocation needs a reason")
    key = find_key(session, key_id, provider)
    if key.revoked_at is not None:
        return Revocation(key_ref(key), key.revoked_at, key.revoked_reason or "", True)
    key.revoked = True
    key.enabled = False
    key.revoked_at = at
    key.revoked_reason = reason.strip()
    key.updated_at = at
    session.add(key)
    session.flush()
    payload = {**_payload(key), "reason": key.revoked_reason}
    append(session, actor=actor, action="key.revoked", payload=payload, at=at)
    return Revocation(key_ref(key), at, key.revoked_reason, False)


def _new_row(spec: KeySpec, key_id: str, secret: NewSecret, at: datetime) -> Key:
    """A key row for a generated value: metadata, fingerprint, entropy, created now."""
    return Key(
        key_id=key_id,
        provider=spec.provider,
        name=spec.name,
        owner=spec.owner,
        purpose=spec.purpose,
        environment=spec.environment,
        scopes=list(spec.scopes),
        created_at=at,
        expires_at=spec.expires_at,
        last_rotated_at=at,
        fingerprint=secret.fingerprint,
        entropy_bits=secret.entropy_bits,
        source_ref="generated by keyvigil",
        first_seen_at=at,
        updated_at=at,
    )


def _payload(key: Key) -> dict[str, object]:
    """What the trail keeps about a key change: ids, owner, fingerprint, expiry."""
    return {
        "provider": key.provider,
        "key_id": key.key_id,
        "owner": key.owner,
        "environment": key.environment,
        "fingerprint": key.fingerprint,
        "expires_at": isoformat(key.expires_at),
    }
