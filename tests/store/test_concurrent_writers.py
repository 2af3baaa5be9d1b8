"""Concurrent commands on one database: none is lost, the schema is made once, the trail holds.

Six writer processes start together on an empty database (so they also race to create the
schema). Each imports an inventory sharing key ids with all the others, then adds a waiver.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from toolkit.store import open_store
from toolkit.store.tables import Key, TrailEntry, Waiver
from toolkit.trail import verify

WRITERS = 6
SHARED_IDS = [f"shared-{n}" for n in range(20)]


def _inventory(folder: Path, writer: int) -> Path:
    """A house CSV of the shared key ids, owned by this writer (so every import changes keys)."""
    path = folder / f"writer-{writer}.csv"
    rows = [f"{key_id},owner-{writer},2026-01-01T00:00:00Z" for key_id in SHARED_IDS]
    path.write_text("id,owner,created_at\n" + "\n".join(rows) + "\n")
    return path


def _writer(url: str, inventory: Path, writer: int) -> subprocess.Popen[str]:
    """One process: import, then add a waiver (two commands, two trail entries)."""
    kv = f"{sys.executable} -m toolkit"
    waiver = (
        f"{kv} waiver add weak-key --key 'shared-*' --reason 'load test {writer}' "
        f"--owner w{writer} --expires 2099-01-01"
    )
    script = f"{kv} inventory import {inventory} && {waiver}"
    env = dict(os.environ, KEYVIGIL_DB=url, KEYVIGIL_ACTOR=f"writer-{writer}")
    return subprocess.Popen(
        ["sh", "-c", script], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_concurrent_writers_lose_nothing(db_url: str, tmp_path: Path) -> None:
    """Every command succeeds; keys, waivers and trail entries all arrive; the chain verifies."""
    files = [_inventory(tmp_path, n) for n in range(WRITERS)]
    processes = [_writer(db_url, path, n) for n, path in enumerate(files)]
    outcomes = [(p.wait(timeout=240), p.stderr.read() if p.stderr else "") for p in processes]
    failures = [(code, err) for code, err in outcomes if code != 0]
    assert not failures, failures
    store = open_store(db_url)
    with store.session() as session:
        status = verify(session)
        assert status.ok, status.problem
        assert session.exec(select(func.count()).select_from(TrailEntry)).one() == 2 * WRITERS
        assert session.exec(select(func.count()).select_from(Waiver)).one() == WRITERS
        keys = session.exec(select(Key)).all()
    assert sorted(k.key_id for k in keys) == sorted(SHARED_IDS)
    assert len({k.owner for k in keys}) == 1  # one import's owner wins whole, not a mixture
