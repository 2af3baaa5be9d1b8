"""Benchmark: the demo's leakage incident (44 steps, access review over a quarter of logs)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

from toolkit.cli import cli
from toolkit.demo import incident, tour
from toolkit.store import open_store


def _prepare(folder: Path) -> tuple[str, list[Path], Path]:
    """The demo inventory imported, its logs written, the incident's answers file."""
    db = str(folder / "bench.db")
    inputs = tour.write_inputs(folder)
    for step in tour.import_steps(db, inputs.inventories):
        CliRunner().invoke(cli, list(step.args))
    store = open_store(f"sqlite:///{db}")
    logs = tour.write_logs(tour.stored_keys(store), inputs.logs_dir)
    store.engine.dispose()
    answers = incident.write_incident_inputs(folder / "incident", inputs.service.repo)
    return db, logs, answers


def _timed(args: list[str]) -> float:
    """Seconds one command takes (it must succeed)."""
    start = time.perf_counter()
    result = CliRunner().invoke(cli, args)
    if result.exit_code != 0:
        raise RuntimeError(result.output)
    return time.perf_counter() - start


def main() -> None:
    """Print the time to open, run (answers file), and report the incident."""
    print("incident: demo leakage incident, 44 steps from an answers file, 53k log events")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db, logs, answers = _prepare(folder)
        opened = _timed(list(incident.open_step(db).args))
        run, _status, close, report = (
            _timed(list(step.args))
            for step in incident.incident_steps(db, "INC-2026-0001", answers, logs, folder)
        )
        print(f"  open {opened:5.2f} s   run {run:5.2f} s   close {close:5.2f} s   "
              f"report {report:5.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
