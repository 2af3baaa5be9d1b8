"""Benchmark: import a generated 100,000-key house-format CSV into a fresh SQLite database."""

from __future__ import annotations

import csv
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from toolkit.ingest.inventory import ReadOptions
from toolkit.ingest.inventory.importer import import_inventories
from toolkit.store import open_store

ROWS = 100_000
START = datetime(2026, 1, 1, tzinfo=UTC)
HEADER = ["key_id", "key", "name", "owner", "purpose", "environment", "scopes"]
HEADER += ["created_at", "expires_at", "last_used_at", "revoked"]


def write_csv(path: Path, rows: int = ROWS, seed: int = 7) -> None:
    """A deterministic house CSV of ``rows`` keys (values from a seeded generator)."""
    rng = random.Random(seed)
    envs = ("dev", "staging", "prod")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            created = START + timedelta(seconds=rng.randrange(0, 200 * 86400))
            writer.writerow(
                [
                    f"bench-{n:06d}",
                    f"{rng.getrandbits(256):064x}",
                    f"service {n % 997}",
                    f"team-{n % 41}",
                    "benchmark key",
                    envs[n % 3],
                    "read write" if n % 5 else "admin",
                    created.isoformat(),
                    (created + timedelta(days=365)).isoformat(),
                    (created + timedelta(days=rng.randrange(0, 90))).isoformat(),
                    "false",
                ]
            )


def main() -> None:
    """Generate the CSV, import it in-process, print keys/s and peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "keys.csv"
        write_csv(csv_path)
        store = open_store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        started, cpu = time.perf_counter(), time.process_time()
        summary = import_inventories(store, [csv_path], ReadOptions(), "bench", datetime.now(UTC))
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu
        store.engine.dispose()
    inserted = summary.files[0].inserted
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mb = peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
    print(
        f"inventory import: {inserted:,} keys in {elapsed:.2f} s = {inserted / elapsed:,.0f} keys/s"
    )
    print(f"inventory import: {cpu:.2f} s CPU = {inserted / cpu:,.0f} keys per CPU-second")
    print(f"inventory import: peak RSS {peak_mb:,.0f} MiB (target >= 20,000 keys/s)")


if __name__ == "__main__":
    main()
