"""Concurrent commands on one database: none is lost, the schema is made once, the trail holds.

Six writer processes start together on an empty database (so they also race to create the
schema). Each imports an inventory sharing key ids with all the others, then adds a waiver.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
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


def test_sqlite_reader_does_not_wait_for_a_writer(sqlite_url: str, tmp_path: Path) -> None:
    """While another process holds the write lock, `inventory list` answers and an import waits."""
    inventory = _inventory(tmp_path, 0)
    env = dict(os.environ, KEYVIGIL_DB=sqlite_url, KEYVIGIL_ACTOR="tester")
    kv = [sys.executable, "-m", "toolkit"]
    subprocess.run([*kv, "inventory", "import", str(inventory)], env=env, check=True, timeout=120)
    holder = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # a long audit run, say
    try:
        listed = subprocess.run(
            [*kv, "inventory", "list", "--json"], env=env, capture_output=True, timeout=60
        )
        assert listed.returncode == 0 and len(json.loads(listed.stdout)) == len(SHARED_IDS)
        writer = subprocess.Popen(
            [*kv, "inventory", "import", str(_inventory(tmp_path, 1))],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(3)
        assert writer.poll() is None, "the import must wait for the lock, not fail"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert writer.wait(timeout=120) == 0
