"""The result document's exact bytes: the demo's audit runs and the fixture's, against goldens.

The wall clock is fixed (waivers record when they were granted). The goldens were captured
before the result document became a typed model; any change to the bytes an audit writes for
the same inputs and ``--as-of`` fails here. To accept an
intended change to the result contract, regenerate them with
``.venv/bin/python -m tests.audit.test_golden`` and say why in the commit.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.audit.fixture import write_fixture
from tests.conftest import DATA
from toolkit.audit.canonical import canonical_bytes
from toolkit.audit.result import ResultDocument
from toolkit.cli import cli
from toolkit.cli.context import AppContext
from toolkit.demo import tour
from toolkit.store import open_store

GOLDEN = DATA / "audit" / "golden"
WALL_CLOCK = datetime(2026, 10, 1, 8, 30, tzinfo=UTC)
RUNS = ("run-1", "run-2")
"""The tour's first audit run (no waivers yet) and the quarterly run (waivers, one lapsed)."""
LOOSE_POLICY = """organisation: Golden Org
environments:
  prod:
    rotation_days: 400
    unused_days: 120
failed_auth:
  threshold: 20
"""
"""Looser than PCI DSS and CIS: the fixture's run carries guardrails (and, with no scan
results, rules that were not evaluated)."""


def _json_only(step: tour.Step) -> tour.Step:
    """The step with its outputs cut to the result JSON (the reports are tested elsewhere)."""
    args = list(step.args)
    if "--format" in args:
        args[args.index("--format") + 1] = "json"
    return tour.Step(step.title, tuple(args), step.ok_codes)


@contextmanager
def inside(folder: Path) -> Iterator[None]:
    """Work in ``folder`` with the wall clock fixed at ``WALL_CLOCK``."""
    previous, clock = Path.cwd(), AppContext.__dict__["wall_clock"]
    os.chdir(folder)
    AppContext.wall_clock = staticmethod(lambda: WALL_CLOCK)  # type: ignore[method-assign]
    try:
        yield
    finally:
        AppContext.wall_clock = clock  # type: ignore[method-assign]
        os.chdir(previous)


def run_demo_audits(folder: Path) -> dict[str, bytes]:
    """The tour's imports, waivers and both audit runs in ``folder`` (relative paths inside)."""
    runner = CliRunner(env={"KEYVIGIL_DB": None, "KEYVIGIL_ACTOR": "golden"})
    with inside(folder):
        db = f"sqlite:///{folder / 'golden.db'}"
        inputs = tour.write_inputs(Path("demo"))

        def run(step: tour.Step) -> int:
            """One step through the real CLI."""
            return runner.invoke(cli, list(step.args), catch_exceptions=False).exit_code

        tour.run_steps(tour.import_steps(db, inputs.inventories), run)
        logs = tour.write_logs(tour.stored_keys(open_store(db)), inputs.logs_dir)
        steps = tour.audit_steps(db, logs, inputs, Path("demo"))
        tour.run_steps([_json_only(s) for s in steps], run)
        out = {}
        for name in RUNS:
            (path,) = (Path("demo") / name).glob("run-*.json")
            out[name] = path.read_bytes()
        return out


def run_fixture_audit(folder: Path) -> bytes:
    """The audit fixture (no scan results) under a looser policy, as ``audit run`` writes it."""
    runner = CliRunner(env={"KEYVIGIL_DB": None, "KEYVIGIL_ACTOR": "golden"})
    with inside(folder):
        write_fixture(Path("in"))
        Path("policy.yaml").write_text(LOOSE_POLICY, encoding="utf-8")
        args = ["audit", "run", "--inventory", "in/keys.csv", "--logs", "in/access.jsonl"]
        args += ["--policy", "policy.yaml", "--as-of", "2026-10-01", "--out", "out"]
        args += ["--db", str(folder / "fixture.db")]
        assert runner.invoke(cli, args, catch_exceptions=False).exit_code == 0
        (path,) = Path("out").glob("run-*.json")
        return path.read_bytes()


@pytest.fixture(scope="module")
def demo_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The result JSON of both demo audit runs."""
    return run_demo_audits(tmp_path_factory.mktemp("golden"))


@pytest.mark.parametrize("name", RUNS)
def test_result_bytes_equal_the_golden_file(demo_results: dict[str, bytes], name: str) -> None:
    """Same demo inputs and --as-of: byte for byte the document captured before the change."""
    expected = (GOLDEN / f"demo-{name}.json").read_bytes()
    assert demo_results[name] == expected


def test_read_back_documents_write_the_same_bytes(demo_results: dict[str, bytes]) -> None:
    """Validated from its bytes, a document writes them again; and they are sorted JSON."""
    for body in demo_results.values():
        doc = ResultDocument.from_bytes(body)
        assert doc.canonical() == body
        assert canonical_bytes(doc.model_dump(by_alias=True)) == body


def test_fixture_result_bytes_equal_the_golden_file(tmp_path: Path) -> None:
    """Guardrails and not-evaluated rules too: byte for byte the captured document."""
    body = run_fixture_audit(tmp_path)
    assert b'"policy_key"' in body and b'"status": "not_evaluated"' in body
    assert body == (GOLDEN / "fixture.json").read_bytes()


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        results = {f"demo-{k}": v for k, v in run_demo_audits(Path(tmp)).items()}
        (Path(tmp) / "fixture").mkdir()
        results["fixture"] = run_fixture_audit(Path(tmp) / "fixture")
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for stem, body in results.items():
        (GOLDEN / f"{stem}.json").write_bytes(body)
        print(f"wrote {GOLDEN / f'{stem}.json'} ({len(body)} bytes)", file=sys.stderr)
