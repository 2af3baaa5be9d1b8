"""The demo inventories: deterministic, importable, and carrying the problems they claim."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import select

from toolkit.demo import DEMO_AS_OF
from toolkit.demo.inventory import (
    DEMO_KEY_IDS,
    FILE_ENVIRONMENTS,
    import_demo_inventories,
    write_demo_inventories,
)
from toolkit.ingest.inventory.importer import read_file
from toolkit.store import open_store
from toolkit.store.tables import Key
from toolkit.timeutil import ensure_utc

AT = datetime(2026, 10, 1, 9, tzinfo=UTC)
ROTATION = {"prod": 90, "staging": 30, "dev": 90}


def demo_keys(url: str, out: Path) -> dict[str, Key]:
    """Write and import the demo files; the stored keys by id."""
    store = open_store(url)
    import_demo_inventories(store, write_demo_inventories(out), "demo", AT)
    with store.session() as session:
        keys = {k.key_id: k for k in session.exec(select(Key)).all()}
    store.engine.dispose()
    return keys


def test_same_bytes_every_time(tmp_path: Path) -> None:
    """Two runs write identical files; at least two real formats besides the house CSV."""
    first = write_demo_inventories(tmp_path / "a")
    second = write_demo_inventories(tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second] == list(FILE_ENVIRONMENTS)
    for a, b in zip(first, second, strict=True):
        assert read_file(a) == read_file(b)


def test_demo_imports_with_every_named_key(db_url: str, tmp_path: Path) -> None:
    """Every id in DEMO_KEY_IDS exists; AWS keys carry real AKIA ids; three environments."""
    keys = demo_keys(db_url, tmp_path / "demo")
    named = {key_id for ids in DEMO_KEY_IDS.values() for key_id in ids}
    assert named <= set(keys), sorted(named - set(keys))
    assert {k.environment for k in keys.values()} == {"dev", "staging", "prod"}
    assert len(keys) >= 30
    aws = [k for k in keys.values() if k.provider == "aws"]
    assert [k.key_id for k in aws if "#" in k.key_id] == [
        "arn:aws:iam::111122223333:root#access_key_1"
    ]
    assert all(k.last_rotated_at for k in aws)


def _overdue(key: Key) -> bool:
    """Active and not rotated within its environment's period."""
    rotated = ensure_utc(key.last_rotated_at or key.created_at)
    return key.active and DEMO_AS_OF - rotated > timedelta(days=ROTATION[key.environment])


def test_demo_keys_show_their_problems(sqlite_url: str, tmp_path: Path) -> None:
    """Each labelled key has the property its label names; healthy keys have none of them."""
    keys = demo_keys(sqlite_url, tmp_path / "demo")
    problems = DEMO_KEY_IDS
    assert all(_overdue(keys[k]) for k in problems["rotation-overdue"])
    for key_id in problems["expiring-soon"]:
        left = ensure_utc(keys[key_id].expires_at) - DEMO_AS_OF
        assert timedelta(0) < left <= timedelta(days=7)
    assert all(ensure_utc(keys[k].expires_at) < DEMO_AS_OF for k in problems["expired-active"])
    assert all(keys[k].expires_at is None for k in problems["no-expiry"])
    fingerprints = {keys[k].fingerprint for k in problems["shared-across-environments"]}
    assert len(fingerprints) == 1 and None not in fingerprints
    owners = {keys[k].owner for k in problems["shared-between-owners"]}
    assert len(owners) == 2
    assert all(keys[k].entropy_bits < 256 for k in problems["weak-key"])
    scopes = [keys[k].scopes for k in problems["broad-scope"]]
    assert scopes == [["*"], ["admin"], []]
    assert keys["prod-orphan-key"].owner is None and keys["staging-no-purpose"].purpose is None
    revoked = keys["prod-revoked-no-reason"]
    assert revoked.revoked and revoked.revoked_reason is None
    assert keys["prod-gateway-v2"].replaces == "prod-gateway-v1" and keys["prod-gateway-v1"].active
    new = keys["prod-new-deploy-key"]
    assert DEMO_AS_OF - ensure_utc(new.created_at) < timedelta(days=1)
    for key_id in problems["healthy"]:
        key = keys[key_id]
        assert key.active and not _overdue(key) and key.owner and key.purpose
        assert key.entropy_bits >= 256 and key.expires_at and key.scopes
    assert (
        len({k.fingerprint for k in keys.values() if k.fingerprint})
        == len([k for k in keys.values() if k.fingerprint]) - 2
    ), "only the two deliberate pairs share a value"
