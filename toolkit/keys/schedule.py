"""Rotation and revocation schedules: revocations planned at the end of an overlap window,
what is due, applying them, and each key's next rotation by policy."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from toolkit.errors import KeysError
from toolkit.ingest.inventory.values import key_values
from toolkit.keys.lifecycle import KeyRef, key_ref, revoke_key
from toolkit.rules.policy import Policy
from toolkit.store.tables import Key, ScheduledRevocation, TrailEntry
from toolkit.timeutil import ensure_utc, isoformat, parse_timestamp
from toolkit.trail import append

_SPAN = re.compile(r"^\s*(\d+)\s*([hdw])\s*$")
_UNIT = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


def parse_span(value: str, option: str) -> timedelta:
    """``48h``, ``90d`` or ``2w`` as a span of time; anything else names the option."""
    match = _SPAN.match(value)
    if not match or int(match.group(1)) == 0:
        raise KeysError(f"{option}: {value!r} is not a span of time (use e.g. 48h, 90d, 2w)")
    return int(match.group(1)) * _UNIT[match.group(2)]


def schedule_revocation(
    session: Session, old: Key, replaced_by: str, due_at: datetime, *, actor: str, at: datetime
) -> ScheduledRevocation:
    """Plan ``old``'s revocation for ``due_at`` (the end of its replacement's overlap)."""
    row = ScheduledRevocation(
        provider=old.provider,
        key_id=old.key_id,
        replaced_by=replaced_by,
        due_at=due_at,
        reason=f"rotated: replaced by {replaced_by}",
        scheduled_at=at,
        scheduled_by=actor,
    )
    session.add(row)
    session.flush()
    payload = {
        "provider": old.provider,
        "key_id": old.key_id,
        "replaced_by": replaced_by,
        "due_at": isoformat(due_at),
    }
    append(session, actor=actor, action="key.revocation-scheduled", payload=payload, at=at)
    return row


def pending(session: Session) -> list[ScheduledRevocation]:
    """Scheduled revocations not yet applied, earliest first."""
    query = (
        select(ScheduledRevocation)
        .where(col(ScheduledRevocation.done_at).is_(None))
        .order_by(col(ScheduledRevocation.due_at), col(ScheduledRevocation.id))
    )
    return list(session.exec(query).all())


def pending_for(session: Session, key: Key) -> ScheduledRevocation | None:
    """The key's scheduled revocation that has not been applied, if any."""
    return next(
        (r for r in pending(session) if (r.provider, r.key_id) == (key.provider, key.key_id)),
        None,
    )


def due(session: Session, as_of: datetime) -> list[ScheduledRevocation]:
    """Scheduled revocations whose time has come at ``as_of``."""
    return [row for row in pending(session) if ensure_utc(row.due_at) <= as_of]


def close_schedules(session: Session, provider: str, key_id: str, at: datetime) -> None:
    """Mark the key's pending scheduled revocations done (it has been revoked)."""
    for row in pending(session):
        if (row.provider, row.key_id) == (provider, key_id):
            row.done_at = at
            session.add(row)
    session.flush()


def revoke(
    session: Session,
    key_id: str,
    *,
    reason: str,
    actor: str,
    at: datetime,
    provider: str | None = None,
) -> KeyRef:
    """Revoke a key now with its reason; any revocation scheduled for it is then done."""
    result = revoke_key(session, key_id, reason=reason, actor=actor, at=at, provider=provider)
    if result.already_revoked:
        raise KeysError(f"key {key_id}: already revoked on {isoformat(result.revoked_at)}")
    close_schedules(session, result.key.provider, result.key.key_id, at)
    return result.key


def revoke_due(session: Session, *, actor: str, at: datetime) -> list[KeyRef]:
    """Apply every scheduled revocation due at ``at``; keys revoked meanwhile are just closed."""
    done = []
    for row in due(session, at):
        key = session.exec(
            select(Key).where(Key.provider == row.provider, Key.key_id == row.key_id)
        ).first()
        if key is not None and key.revoked_at is None:
            revoke_key(
                session, row.key_id, reason=row.reason, actor=actor, at=at, provider=row.provider
            )
            done.append(key_ref(key))
        row.done_at = at
        session.add(row)
    session.flush()
    return done


@dataclass(frozen=True)
class ScheduleEntry:
    """One active key's place in the rotation schedule."""

    key: KeyRef
    rotation_days: int
    last_rotated: datetime | None
    next_rotation: datetime | None
    overdue_days: int | None
    revocation_due: datetime | None
    requested_at: datetime | None = None  # an incident asked for its rotation (and when)
    requested_by: str | None = None  # that incident's reference


ROTATION_REQUESTED = "key.rotation_requested"
"""The trail action of a runbook's ``rotate-environment`` step, one entry per key marked."""


def rotation_requests(session: Session) -> dict[tuple[str, str], list[tuple[datetime, str]]]:
    """(provider, key_id) -> each time an incident marked the key for rotation, with the
    incident's reference, oldest first, read from the trail (where the runbook step records
    them)."""
    query = select(TrailEntry).where(TrailEntry.action == ROTATION_REQUESTED)
    found: dict[tuple[str, str], list[tuple[datetime, str]]] = {}
    for entry in session.exec(query.order_by(col(TrailEntry.seq))).all():
        payload = json.loads(entry.payload)
        asked = (parse_timestamp(entry.ts), payload["incident"])
        found.setdefault((payload["provider"], payload["key_id"]), []).append(asked)
    return found


def rotation_schedule(
    session: Session, policy: Policy, as_of: datetime, environment: str | None = None
) -> list[ScheduleEntry]:
    """Every active key with its next rotation: by policy, or sooner when an incident marked
    it for rotation (due at once, until it is rotated or its revocation is scheduled);
    overdue first, then by date."""
    keys = sorted(key_values(session), key=lambda k: (k.environment or "", k.key_id))
    planned = {(r.provider, r.key_id): ensure_utc(r.due_at) for r in pending(session)}
    requests = rotation_requests(session)
    entries = []
    for key in keys:
        if not key.active or (
            environment and (key.environment or "").lower() != environment.lower()
        ):
            continue
        ident = (key.provider, key.key_id)
        days = policy.environment(key.environment).rotation_days
        since = key.last_rotated_at or key.created_at
        since = ensure_utc(since) if since else None
        nxt = since + timedelta(days=days) if since else None
        # the oldest request since the last rotation, unless the key is being replaced
        waiting = [r for r in requests.get(ident, []) if since is None or r[0] > since]
        asked_at, asked_by = waiting[0] if waiting and ident not in planned else (None, None)
        if asked_at is not None and (nxt is None or asked_at < nxt):
            nxt = asked_at
        late = (as_of - nxt).days if nxt and nxt < as_of else None
        entries.append(
            ScheduleEntry(
                key_ref(key), days, since, nxt, late, planned.get(ident), asked_at, asked_by
            )
        )
    return sorted(entries, key=_order)


def _order(entry: ScheduleEntry) -> tuple[int, datetime, str]:
    """Unknown dates first (cannot be scheduled), then overdue, then by next rotation."""
    far = datetime.max.replace(tzinfo=UTC)
    if entry.next_rotation is None:
        return (0, far, entry.key.key_id)
    return (1 if entry.overdue_days is not None else 2, entry.next_rotation, entry.key.key_id)
