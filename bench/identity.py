"""Byte identity of the benchmark audit across a speed change: save one run, compare later ones.

``python -m bench.identity save DIR`` runs the audit of ``bench.audit`` (its 100,000-key house
CSV, written to ``INVENTORY``; ``KEYVIGIL_BENCH_AUDIT_EVENTS`` events, default 1M) and keeps in
DIR the four outputs, the stored result document and digests of the stored findings, keys and
import records (the columns that do not depend on when the run was made); ``check DIR`` makes
a new run and says, file by file, whether it is the same. A speed change must leave every one
of them the same.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

from bench import loggen
from bench.audit import child_audit, write_inventory
from bench.logs import data_file, parse_size

TABLES = {
    "findings.sha256": "SELECT * FROM findings ORDER BY id",
    "imports.sha256": "SELECT id, path, sha256, reader, kind, row_count, actor FROM imports",
}
"""Stored rows kept as digests (the run id and times differ between runs, so are left out)."""
INVENTORY = Path(tempfile.gettempdir()) / "keyvigil-identity" / "keys.csv"
"""Where the inventory is written: its path and modification time (its extraction time) are
part of the result, so both are the same each run."""
KEY_TIMES = ("first_seen_at", "updated_at")
"""Columns of the keys table that hold when the run was made."""


def digest(db: sqlite3.Connection, sql: str, run_id: str) -> str:
    """The number of rows of ``sql`` and the SHA-256 of their ``repr``s (the run id as RUN)."""
    hashed, count = hashlib.sha256(), 0
    for row in db.execute(sql):
        hashed.update(repr(row).replace(run_id, "RUN").encode("utf-8"))
        count += 1
    return f"{count} {hashed.hexdigest()}\n"


def record(into: Path) -> None:
    """Run the benchmark audit and keep what must stay the same in ``into`` (emptied first)."""
    shutil.rmtree(into, ignore_errors=True)
    into.mkdir(parents=True)
    events = parse_size(os.environ.get("KEYVIGIL_BENCH_AUDIT_EVENTS", "1M"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        INVENTORY.parent.mkdir(exist_ok=True)
        inventory = write_inventory(INVENTORY, 100_000)
        os.utime(inventory, (loggen.END.timestamp(), loggen.END.timestamp()))  # its as-of time
        child_audit(inventory, data_file(events, "jsonl"), work)
        db = sqlite3.connect(work / "bench.db")
        run_id, body = db.execute("SELECT id, result_json FROM audit_runs").fetchone()
        (into / "stored-result.json").write_text(body, encoding="utf-8")
        for path in (work / "out").iterdir():
            shutil.copy(path, into / f"output{path.name[len(run_id) :]}")
        columns = [c[1] for c in db.execute("PRAGMA table_info(keys)") if c[1] not in KEY_TIMES]
        keys = f"SELECT {', '.join(columns)} FROM keys ORDER BY id"
        for name, sql in {**TABLES, "keys.sha256": keys}.items():
            (into / name).write_text(digest(db, sql, run_id), encoding="utf-8")
        db.close()


def compare(saved: Path, new: Path) -> int:
    """Print each saved file as same or different; the number that differ."""
    differ = 0
    for path in sorted(saved.iterdir()):
        other = new / path.name
        same = other.is_file() and other.read_bytes() == path.read_bytes()
        print(f"{'same     ' if same else 'DIFFERENT'} {path.name}")
        differ += not same
    return differ


def main(argv: list[str]) -> int:
    """``save DIR`` or ``check DIR``; exit status 1 when a checked file differs."""
    if len(argv) != 2 or argv[0] not in ("save", "check"):
        print("usage: python -m bench.identity save|check DIR", file=sys.stderr)
        return 2
    folder = Path(argv[1])
    if argv[0] == "save":
        record(folder)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        record(Path(tmp) / "new")
        differ = compare(folder, Path(tmp) / "new")
    print("all the same" if not differ else f"{differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
