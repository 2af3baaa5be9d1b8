"""A SHA-256 hash chain over trail entries: append, list and verify."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from toolkit.store.tables import TrailEntry
from toolkit.timeutil import isoformat

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: the exact text that is hashed."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(seq: int, ts: str, actor: str, action: str, payload: str, prev_hash: str) -> str:
    """SHA-256 over the entry's fields and the previous entry's hash."""
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
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def append(
    session: Session, *, actor: str, action: str, payload: dict[str, Any], at: datetime
) -> TrailEntry:
    """Add one entry after the current head, inside the caller's transaction.

    The payload must hold no secret values: callers pass ids, digests and counts only.
    """
    head = session.exec(select(TrailEntry).order_by(TrailEntry.seq.desc()).limit(1)).first()  # type: ignore[union-attr]
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
        hash=entry_hash(seq, ts, actor, action, body, prev),
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
    """Result of a verification: intact or the first sequence number that is wrong."""

    ok: bool
    count: int
    head: str
    bad_seq: int | None = None
    problem: str | None = None


def verify(session: Session) -> TrailStatus:
    """Walk the chain from the start; report the first edited, missing or reordered entry."""
    prev = GENESIS
    expected_seq = 1
    rows = entries(session)
    for row in rows:
        if row.seq != expected_seq:
            return TrailStatus(
                False,
                len(rows),
                prev,
                expected_seq,
                f"entry {expected_seq} is missing (next is {row.seq})",
            )
        if row.prev_hash != prev:
            return TrailStatus(
                False,
                len(rows),
                prev,
                row.seq,
                f"entry {row.seq} does not follow entry {row.seq - 1}",
            )
        if (
            entry_hash(row.seq, row.ts, row.actor, row.action, row.payload, row.prev_hash)
            != row.hash
        ):
            return TrailStatus(
                False, len(rows), prev, row.seq, f"entry {row.seq} was altered (hash mismatch)"
            )
        prev = row.hash
        expected_seq += 1
    return TrailStatus(True, len(rows), prev)
