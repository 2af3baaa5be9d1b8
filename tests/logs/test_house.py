"""House-format access logs (JSON Lines, CSV, Parquet) into the events relation."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from toolkit.analytics.events import EVENT_COLUMNS, connect, load_events
from toolkit.errors import IngestError

LINES = [
    '{"ts":"2026-07-01T00:00:00Z","key_id":"k1","source_ip":"10.0.0.1","endpoint":"/v1/a",'
    '"status":200}',
    '{"ts":"2026-07-01T00:00:01Z","key_id":"k1","source_ip":"10.0.0.1","endpoint":"/v1/a",'
    '"status":401}',
    '{"timestamp":"2026-07-01T00:00:02+02:00","keyId":"k2","ip":"127.0.0.1","path":"/v1/b",'
    '"outcome":"forbidden","principal":"svc"}',
]


def write(path: Path, lines: list[str], gz: bool = False) -> Path:
    """Write lines to a (gzip) file."""
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def test_jsonl_columns_and_outcomes(tmp_path: Path) -> None:
    """Aliases, status mapping and sources land in the contract's columns."""
    con = connect()
    report = load_events(con, [write(tmp_path / "a.jsonl", LINES)])
    cols = [r[0] for r in con.execute("DESCRIBE events").fetchall()]
    assert cols == [c for c, _t in EVENT_COLUMNS]
    rows = con.execute(
        "SELECT key_id, outcome, error_code, country, source, principal FROM events ORDER BY source"
    ).fetchall()
    assert [r[:3] for r in rows] == [
        ("k1", "success", None),
        ("k1", "auth_failed", "401"),
        ("k2", "denied", None),
    ]
    assert rows[2][3] == "private" and rows[2][5] == "svc"
    assert [r[4] for r in rows] == [f"{tmp_path}/a.jsonl:{n}" for n in (1, 2, 3)]
    assert report.events == 3 and report.formats == {f"{tmp_path}/a.jsonl": "house/jsonl"}


def test_bad_line_fails_with_file_and_line(tmp_path: Path) -> None:
    """A malformed line stops the load and names file and line."""
    path = write(tmp_path / "a.jsonl", [LINES[0], "", "{not json", LINES[1]])
    with pytest.raises(IngestError) as err:
        load_events(connect(), [path])
    assert err.value.line == 3 and str(err.value).startswith(f"{path}:3:")


def test_skip_bad_records(tmp_path: Path) -> None:
    """--skip-bad-records keeps the good events and lists where the bad ones were."""
    bad = '{"ts":"yesterday","key_id":"k9","status":200}'
    path = write(tmp_path / "a.jsonl.gz", [LINES[0], bad, LINES[1]], gz=True)
    con = connect()
    report = load_events(con, [path], skip_bad_records=True)
    assert report.events == 2 and report.skipped == 1
    assert [(b.line, b.field) for b in report.bad_records] == [(2, "ts")]
    assert con.execute("SELECT count(*) FROM events").fetchone() == (2,)
