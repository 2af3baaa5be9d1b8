"""Benchmark: a whole ``audit run`` (100,000 keys, 10M log events) beside the log-scan floor.

The logs are the log benchmark's generated house JSON Lines (``bench.loggen``, cached in
``KEYVIGIL_BENCH_DIR``); the inventory is a house CSV of 100,000 keys whose first 10,000 are the
keys the logs use. Environment: ``KEYVIGIL_BENCH_AUDIT_EVENTS`` (default ``10M``),
``KEYVIGIL_BENCH_AUDIT_KEYS`` (default ``100000,10000``: each inventory size audited, the first
one the headline; 10,000 is the logs' own keys, so its line shows the log work's share apart
from the per-key work), ``KEYVIGIL_BENCH_REPEAT`` (default 3: runs of each, interleaved so all
see the same machine load; the median is shown). Each measurement runs in a fresh process; its
CPU seconds (user + system, DuckDB's threads included) are shown beside the wall clock: on a
shared machine they vary much less.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench import compile_code, loggen
from bench.logs import data_file, measure, parse_size

FORMATS = ("json", "csv", "sarif", "oscal")
TARGET_RATIO = 2.0
"""Issue 8's target for the headline audit (the first size): median wall time at most this
many times the scan floor's."""


def write_inventory(path: Path, keys: int) -> Path:
    """A house CSV: the logs' 10,000 keys (same lifecycle as ``loggen.inventory``) plus more."""
    header = ["key_id", "name", "owner", "purpose", "environment", "scopes", "created_at"]
    header += ["expires_at", "last_rotated_at", "revoked_at", "revoked_reason", "fingerprint"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for r in range(keys):
            logged = r < loggen.KEYS
            created = (
                loggen.START - timedelta(days=30 + r % 300)
                if logged
                else loggen.END - timedelta(days=20)
            )
            revoked = loggen.START + timedelta(days=15 + r % 10) if logged and r % 20 == 7 else None
            expires = (
                loggen.START + timedelta(days=10) if r % 50 == 3 else created + timedelta(days=400)
            )
            writer.writerow(
                [
                    f"bk_{r:05d}" if logged else f"bx_{r:06d}",
                    f"service {r}",
                    f"team-{r % 41}",
                    "benchmark key",
                    ("dev", "staging", "prod")[r % 3],
                    "orders:read" if r % 7 else "admin",
                    created.isoformat(),
                    expires.isoformat(),
                    created.isoformat(),
                    revoked.isoformat() if revoked else "",
                    "rotated out" if revoked else "",
                    hashlib.sha256(f"bench-{r}".encode()).hexdigest(),
                ]
            )
    return path


def child_audit(inventory: Path, logs: Path, workdir: Path) -> dict[str, Any]:
    """One ``audit run`` in this process, timing each phase through the progress callback."""
    from datetime import UTC, datetime

    from toolkit.audit import AuditRequest, run_audit
    from toolkit.process import settle_imports
    from toolkit.reports.exporters import EXPORTERS
    from toolkit.store import open_store

    settle_imports()  # as the keyvigil command does once its code is loaded
    marks: list[tuple[str, float, float]] = [("start", time.perf_counter(), time.process_time())]
    store = open_store(f"sqlite:///{workdir / 'bench.db'}")
    request = AuditRequest(
        as_of=loggen.END,
        inventories=(inventory,),
        logs=(str(logs),),
        out_dir=workdir / "out",
        formats=FORMATS,
    )
    outcome = run_audit(
        store,
        request,
        "bench",
        datetime.now(UTC),
        lambda m: marks.append((m, time.perf_counter(), time.process_time())),
        writers=EXPORTERS,
    )
    marks.append(("done", time.perf_counter(), time.process_time()))
    steps = list(zip(marks, marks[1:], strict=False))
    phases = {a[0].split(" (")[0]: round(b[1] - a[1], 2) for a, b in steps}
    phases_cpu = {a[0].split(" (")[0]: round(b[2] - a[2], 2) for a, b in steps}
    return {
        "events": outcome.document.logs.events if outcome.document.logs else 0,
        "keys": len(outcome.document.keys),
        "findings": outcome.document.summary.findings,
        "phases": phases,
        "phases_cpu": phases_cpu,
        "sizes_mb": {
            p.name.split(".", 1)[1]: round(p.stat().st_size / 1e6, 1) for p in outcome.outputs
        },
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_child(inventory: Path, logs: Path) -> dict[str, Any]:
    """The audit in a fresh process (wall time includes start-up and imports; CPU: the child's)."""
    with tempfile.TemporaryDirectory() as tmp:
        args = [sys.executable, "-m", "bench.audit", "--child", str(inventory), str(logs), tmp]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        done = subprocess.run(args, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"audit run failed:\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]), wall=wall, cpu=cpu)


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median wall time; CPU is its own median, peak RSS the largest seen."""
    ordered = sorted(runs, key=lambda r: r["wall"])
    best = dict(ordered[len(ordered) // 2])
    best["cpu"] = sorted(r["cpu"] for r in runs)[len(runs) // 2]
    best["rss_mb"] = max(r["rss_mb"] for r in runs)
    best["walls"] = [round(r["wall"], 2) for r in ordered]
    return best


def main() -> None:
    """Generate (or reuse) the inputs, then print each audit's time beside the scan floor."""
    compile_code()
    n = parse_size(os.environ.get("KEYVIGIL_BENCH_AUDIT_EVENTS", "10M"))
    sizes = [int(k) for k in os.environ.get("KEYVIGIL_BENCH_AUDIT_KEYS", "100000,10000").split(",")]
    repeat = int(os.environ.get("KEYVIGIL_BENCH_REPEAT", "3"))
    logs = data_file(n, "jsonl")
    audits: dict[int, list[dict[str, Any]]] = {keys: [] for keys in sizes}
    floors = []
    with tempfile.TemporaryDirectory() as tmp:
        inventories = {k: write_inventory(Path(tmp) / f"keys-{k}.csv", k) for k in sizes}
        for _ in range(repeat):
            for keys in sizes:
                audits[keys].append(run_child(inventories[keys], logs))
            floors.append(measure("floor", logs, "jsonl"))
    floor = median_run(floors)
    print(f"audit run: {n:,} events ({logs.name}), median of {repeat}")
    print(
        f"  scan floor {floor['wall']:6.2f} s  CPU {floor['cpu']:6.2f} s  "
        f"(DuckDB CREATE TABLE AS read_json of the file; wall s of each run {floor['walls']})"
    )
    for i, keys in enumerate(sizes):
        _print_audit(keys, median_run(audits[keys]), floor, headline=i == 0)


def _print_audit(
    keys: int, audit: dict[str, Any], floor: dict[str, Any], *, headline: bool
) -> None:
    """One inventory size's lines: end to end, ratios to the floor (the headline size's wall
    ratio against its target), each phase."""
    print(
        f"  {keys:,} keys: end to end {audit['wall']:6.2f} s  CPU {audit['cpu']:6.2f} s  "
        f"peak {audit['rss_mb']:.0f} MB  findings {audit['findings']:,}  "
        f"outputs {audit['sizes_mb']} MB"
    )
    ratio = audit["wall"] / floor["wall"]
    verdict = "ok" if ratio <= TARGET_RATIO else "OVER TARGET"
    target = f"  [{verdict}: wall ratio <= {TARGET_RATIO}]" if headline else ""
    print(
        f"    ratio {ratio:.2f} wall, {audit['cpu'] / floor['cpu']:.2f} CPU"
        f"  (wall s of each run {audit['walls']}){target}"
    )
    print(f"    wall seconds per phase {audit['phases']}")
    print(f"    CPU seconds per phase {audit['phases_cpu']}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        report = child_audit(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
        print(json.dumps(report))
    else:
        main()
