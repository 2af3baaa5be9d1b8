"""A SHA-256 hash chain over trail entries: append, list and verify."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from toolkit.store.locks import hold_write_lock
from toolkit.store.tables import TrailEntry
from toolkit.timeutil import isoformat
from toolkit.trail.coverage import unaccounted

GENESIS = "0" * 64
HMAC_PREFIX = "hmac-sha256:"
"""Marks an entry hash made with the trail key (``KEYVIGIL_TRAIL_KEY``)."""


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: the exact text that is hashed."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(
    seq: int,
    ts: str,
    actor: str,
    action: str,
    payload: str,
    prev_hash: str,
    key: bytes | None = None,
) -> str:
    """SHA-256 over the entry's fields and the previous entry's hash; with a trail key, an
    HMAC-SHA256 under it, written ``hmac-sha256:<hex>`` so verification knows which it is."""
    text = canonical_json(
        {
            "seq": seq,
            "ts": ts,
            "actor": actor,
            "action": action,
            "payload": payload,
            "prev": prev_hash,
        }
    )
    if key is not None:
        return HMAC_PREFIX + hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def append(
    session: Session, *, actor: str, action: str, payload: dict[str, Any], at: datetime
) -> TrailEntry:
    """Add one entry after the current head, inside the caller's transaction.

    The payload must hold no secret values: callers pass ids, digests and counts only. The
    writers' lock is taken first, so concurrent commands append one after the other.
    """
    hold_write_lock(session)
    key = session.info.get("trail_key")
    head = session.exec(select(TrailEntry).order_by(col(TrailEntry.seq).desc()).limit(1)).first()
    seq = 1 if head is None else head.seq + 1
    prev = GENESIS if head is None else head.hash
    ts = isoformat(at) or ""
    body = canonical_json(payload)
    entry = TrailEntry(
        seq=seq,
        ts=ts,
        actor=actor,
        action=action,
        payload=body,
        prev_hash=prev,
        hash=entry_hash(seq, ts, actor, action, body, prev, key),
    )
    session.add(entry)
    session.flush()
    return entry


def entries(session: Session, action_prefix: str | None = None) -> Sequence[TrailEntry]:
    """All entries in sequence order, optionally only actions starting with a prefix."""
    query = select(TrailEntry).order_by(TrailEntry.seq)  # type: ignore[arg-type]
    rows = session.exec(query).all()
    if action_prefix:
        return [row for row in rows if row.action.startswith(action_prefix)]
    return rows


@dataclass(frozen=True)
class TrailStatus:
    """Result of a verification: intact or the first sequence number that is wrong.

    ``keyed`` counts the entries authenticated with the trail key; ``unkeyed`` those with a
    plain SHA-256 (which anyone with write access to the database could recompute).
    """

    ok: bool
    count: int
    head: str
    bad_seq: int | None = None
    problem: str | None = None
    keyed: int = 0
    unkeyed: int = 0


def verify(session: Session) -> TrailStatus:
    """Walk the chain from the start; report the first edited, missing or reordered entry.

    With a trail key in ``session.info``, every entry from the first keyed one on must carry a
    valid HMAC and at least one must (a trail rewritten without the key has none); without a
    key, a keyed entry cannot be checked and fails. Then the stored runs are held against it.
    """
    key = session.info.get("trail_key")
    rows = entries(session)
    prev, keyed = GENESIS, 0
    for expected_seq, row in enumerate(rows, 1):
        problem = _problem(row, expected_seq, prev, key, keyed)
        if problem is not None:
            bad = expected_seq if row.seq != expected_seq else row.seq
            return TrailStatus(
                False, len(rows), prev, bad, problem, keyed, expected_seq - 1 - keyed
            )
        keyed += row.hash.startswith(HMAC_PREFIX)
        prev = row.hash
    missing = unaccounted(session)
    if missing is None and key is not None and rows and not keyed:
        missing = "no entry is authenticated with the trail key (KEYVIGIL_TRAIL_KEY)"
    return TrailStatus(missing is None, len(rows), prev, None, missing, keyed, len(rows) - keyed)


def _problem(
    row: TrailEntry, expected_seq: int, prev: str, key: bytes | None, keyed: int
) -> str | None:
    """What is wrong with one entry given the one before it, or None."""
    if row.seq != expected_seq:
        return f"entry {expected_seq} is missing (next is {row.seq})"
    if row.prev_hash != prev:
        return f"entry {row.seq} does not follow entry {row.seq - 1}"
    is_keyed = row.hash.startswith(HMAC_PREFIX)
    if is_keyed and key is None:
        return f"entry {row.seq} is authenticated with a trail key; set KEYVIGIL_TRAIL_KEY"
    if not is_keyed and keyed and key is not None:
        return f"entry {row.seq} is not authenticated, though earlier entries are"
    fields = (row.seq, row.ts, row.actor, row.action, row.payload, row.prev_hash)
    if not hmac.compare_digest(entry_hash(*fields, key if is_keyed else None), row.hash):
        return f"entry {row.seq} was altered (hash mismatch)"
    return None
