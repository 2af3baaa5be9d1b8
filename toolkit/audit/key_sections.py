"""The parts of the result document about the inventory's keys: each key's record, the key a
finding is about, and how many keys each rule judges."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from operator import attrgetter
from typing import Any

from toolkit.audit.result import FindingRecord, KeyRecord, KeyRef
from toolkit.audit.traces import key_source
from toolkit.construct import trusted
from toolkit.models import KeyBase
from toolkit.rules.catalogue import RULES
from toolkit.rules.policy import Policy
from toolkit.timeutil import ensure_utc, isoformats


def fingerprint_prefix(key: KeyBase) -> str | None:
    """The first 12 hex digits of the key's fingerprint (a hash, never the value)."""
    return key.fingerprint[:12] if key.fingerprint else None


def key_summary(key: KeyBase) -> dict[str, Any]:
    """The key fields a finding carries, as keyword values of ``KeyRef``/``KeyRecord``."""
    return {
        "key_id": key.key_id,
        "name": key.name,
        "owner": key.owner,
        "environment": key.environment,
        "provider": key.provider,
        "fingerprint_prefix": fingerprint_prefix(key),
        "source": key_source(key.source_ref),
    }


class KeyIndex:
    """Finds the inventory key a finding is about: by (provider, key id), else a unique key id."""

    def __init__(self, keys: Sequence[KeyBase]) -> None:
        """Index the keys once (by key id alone only when a finding names no provider)."""
        self.keys = keys
        self.exact = {(k.provider, k.key_id): k for k in keys}
        self.unique: dict[str, KeyBase] | None = None
        self.refs: dict[tuple[str, str], KeyRef] = {}

    def find(self, subject: str, provider: str | None) -> KeyBase | None:
        """The key, or None when the subject is not one inventory key."""
        if provider:
            return self.exact.get((provider, subject))
        if self.unique is None:
            by_id: dict[str, list[KeyBase]] = {}
            for key in self.keys:
                by_id.setdefault(key.key_id, []).append(key)
            self.unique = {kid: found[0] for kid, found in by_id.items() if len(found) == 1}
        return self.unique.get(subject)

    def ref(self, subject: str, provider: str | None) -> KeyRef | None:
        """The finding's ``key`` part (one shared frozen value per key), or None."""
        key = self.find(subject, provider)
        if key is None:
            return None
        found = self.refs.get((key.provider, key.key_id))
        if found is None:
            found = trusted(KeyRef, key_summary(key))
            self.refs[(key.provider, key.key_id)] = found
        return found


STAMPED = ("created_at", "expires_at", "last_rotated_at", "last_used_at", "revoked_at")
"""The key times a key record shows, in its (alphabetical) field order."""


def keys_section(
    keys: Sequence[KeyBase], policy: Policy, as_of: datetime, findings: list[FindingRecord]
) -> list[KeyRecord]:
    """Every key in scope with its dates, age and number of findings (no secret values).

    100,000 keys make this the document's largest loop: the times are formatted a column at a
    time, each environment's policy values are looked up once.
    """
    counts = Counter((f.key.provider, f.key.key_id) for f in findings if f.key is not None)
    envs = {env: policy.environment(env) for env in {key.environment for key in keys}}
    stamps = [isoformats(map(attrgetter(name), keys)) for name in STAMPED]
    out = []
    for key, created, expires, rotated, used, revoked in zip(keys, *stamps, strict=True):
        since = key.last_rotated_at or key.created_at
        env, fingerprint = envs[key.environment], key.fingerprint
        record = {  # in KeyRecord's (alphabetical) field order: no reordering needed
            "active": key.active,
            "age_days": (as_of - ensure_utc(since)).days if since else None,
            "cardholder_data": key.cardholder_data or env.cardholder_data,
            "created_at": created,
            "environment": key.environment,
            "expires_at": expires,
            "finding_count": counts[(key.provider, key.key_id)],
            "fingerprint_prefix": fingerprint[:12] if fingerprint else None,
            "key_id": key.key_id,
            "key_type": key.key_type,
            "last_rotated_at": rotated,
            "last_used_at": used,
            "name": key.name,
            "owner": key.owner,
            "provider": key.provider,
            "revoked_at": revoked,
            "rotation_limit_days": env.rotation_days,
        }
        out.append(trusted(KeyRecord, record, in_order=True))
    return out


def judged(keys: Sequence[KeyBase], records: Sequence[KeyRecord]) -> dict[str, tuple[int, int]]:
    """Per rule judging only some keys (``Rule.judges``): how many keys it judges, and how many
    of those are marked cardholder_data (each predicate runs once over the keys)."""
    counts: dict[int, tuple[int, int]] = {}
    out = {}
    for rule_id, module in RULES.items():
        predicate = module.RULE.judges
        if predicate is None:
            continue
        if id(predicate) not in counts:
            hits = [r.cardholder_data for k, r in zip(keys, records, strict=True) if predicate(k)]
            counts[id(predicate)] = (len(hits), sum(hits))
        out[rule_id] = counts[id(predicate)]
    return out
