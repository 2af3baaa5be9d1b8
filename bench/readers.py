"""Benchmark: the CloudTrail and Vault readers on generated logs of a real shape.

Sizes come from the environment: ``KEYVIGIL_BENCH_VAULT`` (default 150k requests, each a
request and a response line) and ``KEYVIGIL_BENCH_CLOUDTRAIL`` (default 30k records in one
``{"Records": [...]}`` document). The entries are the test samples' shapes with unique ids;
files are cached in ``KEYVIGIL_BENCH_DIR``. Each load runs in a fresh process; wall time,
CPU seconds (user + system) and peak RSS of that process are printed.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.logs import CACHE, parse_size

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "logs"
VAULT = DATA / "vault-audit" / "elastic-integrations-hashicorp_vault-test-audit.excerpt.log"
TRAIL = DATA / "cloudtrail" / "stratus-aws.credential-access.ec2-get-password-data.json"
KMIP = DATA / "built" / "kmip-enterprise.log"


def vault_file(n: int) -> Path:
    """n request/response pairs (a KV read), plus one KMIP pair in every thousand."""
    path = CACHE / f"vault-{n}.log"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    lines = VAULT.read_text().splitlines()
    request, response = json.loads(lines[4]), json.loads(lines[5])
    kmip = KMIP.read_text().splitlines()[:2]
    with path.open("w") as fh:
        for i in range(n):
            rid = f"{i:08x}-1400-7eb7-5e25-1dfc898c1998"
            request["request"]["id"] = response["request"]["id"] = rid
            fh.write(json.dumps(request) + "\n" + json.dumps(response) + "\n")
            if i % 1000 == 0:
                fh.write("\n".join(kmip) + "\n")
    return path


def trail_file(n: int) -> Path:
    """n CloudTrail records (the ec2-get-password-data detonation's, re-numbered)."""
    path = CACHE / f"cloudtrail-{n}.json"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        records = json.loads(TRAIL.read_text())
        out = [records[i % len(records)] | {"eventID": f"bench-{i}"} for i in range(n)]
        path.write_text(json.dumps({"Records": out}))
    return path


def child(path: str) -> None:
    """Load one file and print events, wall seconds, CPU seconds and peak RSS as JSON."""
    from toolkit.analytics.duck.events import connect, load_events

    start = time.perf_counter()
    report = load_events(connect(), [path])
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime
    wall = time.perf_counter() - start
    print(json.dumps([report.events, wall, cpu, usage.ru_maxrss / 1024]))


def main() -> None:
    """Load each generated file in a fresh process and print its figures."""
    vault = parse_size(os.environ.get("KEYVIGIL_BENCH_VAULT", "150k"))
    trail = parse_size(os.environ.get("KEYVIGIL_BENCH_CLOUDTRAIL", "30k"))
    print("log readers (fresh process per load):")
    for name, path in (("vault", vault_file(vault)), ("cloudtrail", trail_file(trail))):
        size = path.stat().st_size / 1e6
        out = subprocess.run(
            [sys.executable, "-m", "bench.readers", "--child", str(path)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        events, wall, cpu, rss = json.loads(out)
        print(
            f"  {name:<10} {size:7.0f} MB {events:>8} events  wall {wall:6.2f} s  "
            f"cpu {cpu:6.2f} s  peak RSS {rss:6.0f} MB"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2])
    else:
        main()
