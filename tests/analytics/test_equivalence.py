"""The log checks give exactly the results of the code before the backend seam and the speed work.

``tests/data/analytics/generated-50k.json`` holds digests of every check's hits, of every usage
row and the coverage, as the previous code computed them on the benchmark's generated log
(50,000 events, an inventory missing some keys and reporting use for others, thresholds lowered
so that every check fires). A change that alters one hit, one count or one message fails here.
Digests of checks added or deliberately changed since (denied-burst; log-retention-gap's
days-with-events retention) were recorded with ``python -m tests.analytics.test_equivalence``,
which rewrites only those.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import asdict, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from bench import loggen
from tests.conftest import data
from toolkit.analytics.duck import DuckBackend
from toolkit.analytics.interface import Analysis, LoadOptions
from toolkit.rules.catalogue import LOG_CHECKS
from toolkit.rules.model import evidence_value
from toolkit.rules.settings import DetectionSettings

EVENTS = 50_000
SETTINGS = DetectionSettings(
    baseline_days=7,
    min_baseline_days=3,
    anomaly_min_events=3,
    trend_min_events=5,
    trend_factor=1.5,
    rate_min_events=5,
    rate_min_failures=1,
    denied_threshold=1,
    denied_window_seconds=86400,
)
SINCE = {"whole": None, "since": loggen.END - timedelta(days=5)}


def _digest(value: Any) -> str:
    """SHA-256 of canonical JSON."""
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def _keys() -> list[loggen.Key]:
    """The generated inventory, some keys left out (unknown keys), some reporting use."""
    used = loggen.START + timedelta(days=10)
    return [
        replace(key, last_used_at=used) if i % 89 == 1 else key
        for i, key in enumerate(loggen.inventory())
        if i % 97 != 5
    ]


def _canonical(result: Analysis) -> dict[str, Any]:
    """Digests of every check's hits and of the usage rows, and the coverage."""
    hits = {
        check: [
            {
                "subject": h.subject,
                "severity": str(h.severity),
                "message": h.message,
                "provider": h.provider,
                "environment": h.environment,
                "evidence": evidence_value(h.evidence),
            }
            for h in found
        ]
        for check, found in result.hits.items()
    }
    usage = [evidence_value(asdict(u)) for u in result.usage]
    return {
        "hits": {k: {"count": len(v), "sha256": _digest(v)} for k, v in sorted(hits.items())},
        "usage": {"rows": len(usage), "sha256": _digest(usage)},
        "coverage": evidence_value(result.coverage.to_dict()),
    }


@pytest.fixture(scope="module")
def log_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated log, written once for this module."""
    path = tmp_path_factory.mktemp("generated") / "events.jsonl"
    return loggen.generate(path, EVENTS, "jsonl")


@pytest.mark.parametrize("scenario", sorted(SINCE))
def test_results_equal_the_previous_code(log_file: Path, scenario: str) -> None:
    """Every hit, usage row and the coverage, over the whole log and since a time."""
    expected = json.loads(data("analytics/generated-50k.json").read_text())[scenario]
    backend = DuckBackend()
    try:
        backend.load([log_file], LoadOptions())
        result = backend.analyse(_keys(), SETTINGS, loggen.END, period_start=SINCE[scenario])
    finally:
        backend.close()
    assert _canonical(result) == expected


def test_every_check_fires_on_the_whole_generated_log() -> None:
    """The stored digests cover real hits of every log check, not empty lists."""
    expected = json.loads(data("analytics/generated-50k.json").read_text())["whole"]
    assert sorted(expected["hits"]) == sorted(check.id for _rule, check in LOG_CHECKS)
    assert all(found["count"] > 0 for found in expected["hits"].values())


def test_daily_series_counts_every_event_up_to_as_of(log_file: Path) -> None:
    """The daily series equals a direct count of the file's events per UTC day."""
    backend = DuckBackend()
    as_of = loggen.END - timedelta(days=3, hours=5)
    try:
        backend.load([log_file], LoadOptions())
        result = backend.analyse(_keys(), SETTINGS, as_of)
    finally:
        backend.close()
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    rows = con.execute(
        "SELECT CAST(ts AS DATE), count(*), count(*) FILTER (WHERE status = 401) "
        "FROM read_json(?, columns = {ts: 'TIMESTAMPTZ', status: 'SMALLINT'}) "
        "WHERE ts <= ? GROUP BY 1 ORDER BY 1",
        [str(log_file), as_of],
    ).fetchall()
    assert [(d.day, d.events, d.auth_failures) for d in result.daily] == rows
    assert len(rows) == 27


CHANGED_SINCE = ("denied-burst", "log-retention-gap")
"""Checks whose stored digests this code wrote (new, or changed on purpose: issue 9)."""


def _record_changed() -> None:
    """Rewrite the stored digests of ``CHANGED_SINCE`` only; every other check must still match."""
    path = data("analytics/generated-50k.json")
    stored = json.loads(path.read_text())
    with tempfile.TemporaryDirectory() as folder:
        log = loggen.generate(Path(folder) / "events.jsonl", EVENTS, "jsonl")
        for scenario, since in SINCE.items():
            backend = DuckBackend()
            try:
                backend.load([log], LoadOptions())
                fresh = _canonical(backend.analyse(_keys(), SETTINGS, loggen.END, since))
            finally:
                backend.close()
            for check in CHANGED_SINCE:
                stored[scenario]["hits"][check] = fresh["hits"][check]
            stored[scenario]["hits"] = dict(sorted(stored[scenario]["hits"].items()))
    path.write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    _record_changed()
