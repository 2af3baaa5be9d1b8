"""Joins credential-report slots with list-access-keys ids, so a key has its AKIA id and dates."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

from toolkit import keyfacts
from toolkit.ingest.inventory.interface import KeyRecord
from toolkit.ingest.inventory.upsert import Ident, ident, stored_record

TOLERANCE = timedelta(days=1)
"""How far a slot's last_rotated may be from an access key's CreateDate and still match."""
MARK = "#access_key_"


def is_slot(record: KeyRecord) -> bool:
    """A credential-report slot still waiting for its real id."""
    return MARK in record["key_id"]


def _user(record: KeyRecord) -> str | None:
    """The IAM user name a record belongs to."""
    attributes = record.get("attributes") or {}
    return attributes.get("user")


def match_access_keys(
    records: list[KeyRecord], existing: dict[Ident, dict[str, Any]]
) -> tuple[list[KeyRecord], list[Ident]]:
    """Merge each matched slot into its access key; return the records and slot ids to delete.

    Candidates come from this import and from the database; a pair is merged only when at
    least one side is new. Stored placeholder rows that found their key are deleted.
    """
    fresh = {(r["provider"], r["key_id"]) for r in records}
    pool = list(records) + [
        stored_record(row) for key, row in existing.items() if key not in fresh and key[0] == "aws"
    ]
    slots: dict[str, list[KeyRecord]] = defaultdict(list)
    keys: dict[str, list[KeyRecord]] = defaultdict(list)
    for record in pool:
        user = _user(record)
        if record.get("key_type") != "access_key" or user is None:
            continue
        (slots if is_slot(record) else keys)[user].append(record)
    accounts: dict[str, set[str]] = defaultdict(set)
    for user, group in slots.items():
        accounts[user].update(r.get("account") or "" for r in group)
    replaced: dict[Ident, KeyRecord] = {}
    deletes: list[Ident] = []
    for user, group in slots.items():
        candidates = [k for k in keys.get(user, []) if _fits(k, group[0], accounts[user])]
        for slot, key in _pairs(group, candidates):
            if ident(slot) not in fresh and ident(key) not in fresh:
                continue
            replaced[ident(slot)] = {}
            replaced[ident(key)] = _merge(slot, key, fresh)
            if ident(slot) in existing:
                deletes.append(ident(slot))
    if not replaced:
        return list(records), deletes
    out = [replaced.get(ident(r), r) for r in records if replaced.get(ident(r), True)]
    out += [m for k, m in replaced.items() if m and k not in fresh]
    return out, deletes


def _fits(key: KeyRecord, slot: KeyRecord, accounts: set[str]) -> bool:
    """An access key may belong to the slot's account (unknown account: only if unambiguous)."""
    if key.get("account"):
        return key["account"] == slot.get("account")
    return len(accounts) == 1


def _pairs(slots: list[KeyRecord], keys: list[KeyRecord]) -> list[tuple[KeyRecord, KeyRecord]]:
    """Closest creation dates within the tolerance; a lone undated pair matches by order."""
    options = []
    for s in slots:
        for k in keys:
            if s.get("created_at") and k.get("created_at"):
                gap = abs(s["created_at"] - k["created_at"])
                if gap <= TOLERANCE:
                    options.append((gap, s["key_id"], k["key_id"], s, k))
    pairs, used = [], set[str]()
    for _gap, sid, kid, s, k in sorted(options, key=lambda o: o[:3]):
        if sid not in used and kid not in used:
            used.update((sid, kid))
            pairs.append((s, k))
    left_s = [s for s in slots if s["key_id"] not in used]
    left_k = [k for k in keys if k["key_id"] not in used]
    if len(left_s) == 1 and len(left_k) == 1:
        if not (left_s[0].get("created_at") and left_k[0].get("created_at")):
            pairs.append((left_s[0], left_k[0]))
    return pairs


def _merge(slot: KeyRecord, key: KeyRecord, fresh: set[Ident]) -> KeyRecord:
    """One record under the real id: the newer source's fields win where both know one."""
    slot_is_newer = ident(slot) in fresh and ident(key) not in fresh
    older, newer = (key, slot) if slot_is_newer else (slot, key)
    merged = {**older, **{k: v for k, v in newer.items() if v is not None or k not in older}}
    merged["attributes"] = {**(older.get("attributes") or {}), **(newer.get("attributes") or {})}
    merged["key_id"] = key["key_id"]
    merged["attributes"]["placeholder_id"] = slot["key_id"]
    merged["attributes"].pop(keyfacts.LAST_USE, None)  # the credential report records last use
    merged["_where"] = (key if ident(key) in fresh else slot).get("_where")
    merged["_file"] = (key if ident(key) in fresh else slot).get("_file")
    return merged
