"""The key lifecycle as commands: generate a key, rotate it with an overlap window.

The value is created by ``keys.secret``, handed to a delivery (terminal or 0600 file) as the
last step of the transaction, and never stored: a failed delivery records nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from toolkit.errors import KeysError
from toolkit.keys.lifecycle import KeyRef, KeySpec, create_key, create_replacement, find_key
from toolkit.keys.schedule import pending_for, schedule_revocation
from toolkit.keys.secret import NewSecret, generate_secret
from toolkit.rules.policy import Policy
from toolkit.store.engine import Store
from toolkit.store.tables import Key
from toolkit.timeutil import isoformat

Delivery = Callable[[NewSecret], None]
"""Hands the value to the person (shown once on a terminal, or written to a new 0600 file)."""


@dataclass(frozen=True)
class GenerateRequest:
    """A new key: what it is, when it expires (or why it never does), who asks, when."""

    spec: KeySpec
    expires_in: timedelta | None
    no_expiry: bool
    reason: str | None
    actor: str
    at: datetime


@dataclass(frozen=True)
class Generated:
    """The recorded key (fingerprint and metadata only) and, after a rotation, what it replaced."""

    key: KeyRef
    expires_at: datetime | None
    replaces: str | None = None
    revocation_due: datetime | None = None


def _expiry(request: GenerateRequest) -> datetime | None:
    """The expiry, or None when ``--no-expiry`` comes with a reason; anything else is refused."""
    if request.no_expiry and request.expires_in is not None:
        raise KeysError("--expires-in and --no-expiry: give one of them, not both")
    if request.expires_in is not None:
        return request.at + request.expires_in
    if not request.no_expiry:
        raise KeysError(
            "--expires-in: required (the organisation's policy: 'Include expiration date'); "
            "a key that must never expire needs --no-expiry --reason TEXT"
        )
    if not (request.reason or "").strip():
        raise KeysError("--no-expiry: needs --reason TEXT (why this key may never expire)")
    return None


def generate_key(store: Store, request: GenerateRequest, deliver: Delivery) -> Generated:
    """Record a new 256-bit key and deliver its value once; nothing is kept if delivery fails."""
    expires_at = _expiry(request)
    spec = replace(request.spec, expires_at=expires_at)
    secret = generate_secret()
    with store.session() as session:
        ref = create_key(session, spec, secret, actor=request.actor, at=request.at)
        if expires_at is None:
            row = find_key(session, ref.key_id, ref.provider)
            row.attributes = {
                **(row.attributes or {}),
                "no_expiry_reason": request.reason,
            }
            session.add(row)
        deliver(secret)
    return Generated(ref, expires_at)


@dataclass(frozen=True)
class RotateRequest:
    """Rotate a key: the replacement's lifetime, the overlap before the old one is revoked."""

    key_id: str
    overlap: timedelta | None
    expires_in: timedelta | None
    actor: str
    at: datetime
    provider: str | None = None


def _overlap(request: RotateRequest, policy: Policy) -> timedelta:
    """The overlap window: as asked, at most the policy's (default: the policy's, 48 h)."""
    limit = timedelta(hours=policy.rotation_overlap_hours)
    overlap = request.overlap if request.overlap is not None else limit
    if overlap > limit:
        raise KeysError(
            f"--overlap: {overlap.total_seconds() / 3600:g} h is longer than the policy's "
            f"rotation_overlap_hours ({policy.rotation_overlap_hours} h)"
        )
    return overlap


def _check_rotatable(old: Key, pending_due: datetime | None) -> None:
    """A revoked key, or one already waiting for its scheduled revocation, is not rotated again."""
    if old.revoked_at is not None or old.revoked:
        raise KeysError(f"key {old.key_id}: revoked; generate a new key instead")
    if pending_due is not None:
        raise KeysError(
            f"key {old.key_id}: already rotated; its revocation is due {isoformat(pending_due)}"
        )


def rotate_key(
    store: Store, request: RotateRequest, policy: Policy, deliver: Delivery
) -> Generated:
    """Generate the replacement, link it, schedule the old key's revocation after the overlap."""
    overlap = _overlap(request, policy)
    secret = generate_secret()
    with store.session() as session:
        old = find_key(session, request.key_id, request.provider)
        planned = pending_for(session, old)
        _check_rotatable(old, planned.due_at if planned else None)
        lifetime = request.expires_in or timedelta(
            days=policy.environment(old.environment).rotation_days
        )
        new = create_replacement(
            session,
            old.key_id,
            secret,
            actor=request.actor,
            at=request.at,
            expires_at=request.at + lifetime,
            provider=old.provider,
        )
        due_at = request.at + overlap
        schedule_revocation(session, old, new.key_id, due_at, actor=request.actor, at=request.at)
        deliver(secret)
    return Generated(new, request.at + lifetime, old.key_id, due_at)
