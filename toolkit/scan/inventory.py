"""The inventory's fingerprints, read from the store or from inventory files; never a value.

Inventory readers hash a key's value when they meet it and drop it; the scanner only ever sees
the SHA-256 fingerprints and who each key belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlmodel import Session, col, select

from toolkit.ingest.inventory.importer import parse_inventory
from toolkit.ingest.inventory.interface import ReadOptions
from toolkit.scan.interface import Inventory, KeyRef
from toolkit.store.tables import Key


def _add(out: dict[str, KeyRef], fingerprint: str | None, ref: KeyRef) -> None:
    """Remember one fingerprint (the first key seen with it wins; shared values are a rule)."""
    if fingerprint:
        out.setdefault(fingerprint, ref)


def from_store(session: Session) -> Inventory:
    """Fingerprints of every key in the store."""
    out: dict[str, KeyRef] = {}
    fields = (Key.fingerprint, Key.key_id, Key.provider, Key.owner, Key.environment)
    query = select(*(col(f) for f in fields)).where(col(Key.fingerprint).is_not(None))
    for fingerprint, key_id, provider, owner, environment in session.execute(
        query.order_by(col(Key.key_id))
    ):
        _add(out, fingerprint, KeyRef(key_id, provider, owner, environment))
    return out


def from_files(paths: Sequence[Path], fmt: str | None = None) -> Inventory:
    """Fingerprints of the keys in inventory files (any format ``inventory import`` reads)."""
    out: dict[str, KeyRef] = {}
    for path in paths:
        for record in parse_inventory(path, ReadOptions(), fmt).records:
            ref = KeyRef(
                record["key_id"],
                record.get("provider") or "house",
                record.get("owner"),
                record.get("environment"),
            )
            _add(out, record.get("fingerprint"), ref)
    return out


def merged(parts: Iterable[Inventory]) -> Inventory:
    """Several inventories as one (earlier ones win on a shared fingerprint)."""
    out: dict[str, KeyRef] = {}
    for part in parts:
        for fingerprint, ref in part.items():
            out.setdefault(fingerprint, ref)
    return out
