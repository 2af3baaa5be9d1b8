"""Vault audit device logs: one event per request, paired with its response."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tests.conftest import data
from toolkit.analytics.duck.events import connect, load_events
from toolkit.errors import IngestError

SAMPLE = data("logs/vault-audit/elastic-integrations-hashicorp_vault-test-audit.excerpt.log")
OIDC = "hmac-sha256:eb605bd7f8a5ceb951b9ab42cae6d6c3f12f203cb2c2a78e33e899f77dceb931"
NOMAD = "hmac-sha256:8fa4f7f3d1fd812064950025cde2b1565829a9dc5075253399e5ede8f8a1d98e"
HELP = "hmac-sha256:b31666f6a411cf7f9a950833e71035a863a1bb3ab536318529057e3f95787ac4"


def test_sample() -> None:
    """7 lines: three request/response pairs and a lone help request -> 4 events."""
    con = connect()
    report = load_events(con, [SAMPLE])
    assert report.events == 4 and report.formats[str(SAMPLE)] == "vault/jsonl"
    rows = con.execute(
        """SELECT key_id, principal, source_ip, country, action, outcome, error_code, source
           FROM events ORDER BY source"""
    ).fetchall()
    assert [r[:2] for r in rows] == [
        (OIDC, "oidc-12349999999999999999"),
        (None, None),
        (NOMAD, "token-375f9cb3-4355-42c7-eab5-029f8a310ca7-runner"),
        (HELP, "oidc-12349999999999999999"),
    ]
    assert [r[5:7] for r in rows] == [
        ("success", None),
        ("denied", "permission denied"),
        ("success", None),
        ("success", None),
    ]
    assert [r[7] for r in rows] == [f"{SAMPLE}:{n}" for n in (1, 3, 5, 7)]
    assert rows[1][2:5] == ("10.6.8.34", "private", "update internal-ca/issue/internal-server")


def entry(kind: str, rid: str | None, error: str | None = None, **auth: str) -> str:
    """One audit entry line."""
    body: dict = {
        "time": "2026-07-01T10:00:00.123456789Z",
        "type": kind,
        "auth": auth or {"token_type": "default"},
        "request": {"operation": "update", "path": "secret/x", "remote_address": "10.0.0.5"},
    }
    if rid:
        body["request"]["id"] = rid
    if error:
        body["error"] = error
    return json.dumps(body)


def load_lines(tmp_path: Path, lines: list[str], name: str = "audit.log"):
    """Load lines as a Vault audit file; return (connection, report)."""
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    con = connect()
    return con, load_events(con, [path])


def test_unpaired_entries_count_once(tmp_path: Path) -> None:
    """A request without response, and a response without request, are one event each."""
    con, report = load_lines(
        tmp_path,
        [entry("request", "a", accessor="acc1"), entry("response", "b", accessor="acc2")],
    )
    assert report.events == 2
    assert con.execute("SELECT key_id FROM events ORDER BY 1").fetchall() == [("acc1",), ("acc2",)]


@pytest.mark.parametrize(
    ("error", "path", "outcome"),
    [
        ("permission denied", "secret/x", "denied"),
        ("1 error occurred:\n\t* permission denied\n\n", "secret/x", "denied"),
        ("invalid token", "secret/x", "auth_failed"),
        ("invalid role ID or secret ID", "auth/approle/login", "auth_failed"),
        ("internal error", "secret/x", "error"),
    ],
)
def test_outcome_from_error(tmp_path: Path, error: str, path: str, outcome: str) -> None:
    """The response's error decides the outcome of the pair."""
    request = json.loads(entry("request", "r1"))
    request["request"]["path"] = path
    con, _ = load_lines(tmp_path, [json.dumps(request), entry("response", "r1", error)])
    assert con.execute("SELECT outcome FROM events").fetchall() == [(outcome,)]


def test_pair_across_rotated_files(tmp_path: Path) -> None:
    """A request in one file and its response in the next are still one event."""
    (tmp_path / "a.log").write_text(entry("request", "r1", accessor="x") + "\n")
    (tmp_path / "b.log").write_text(entry("response", "r1", "permission denied") + "\n")
    con = connect()
    report = load_events(con, [tmp_path / "a.log", tmp_path / "b.log"], log_format="vault")
    assert report.events == 1
    assert con.execute("SELECT outcome, source FROM events").fetchall() == [
        ("denied", f"{tmp_path / 'a.log'}:1")
    ]


def test_bad_line_is_named(tmp_path: Path) -> None:
    """A broken line is reported by file and line (blank lines counted)."""
    lines = [entry("request", "a"), "", '{"time": "x", "type": "req', entry("response", "a")]
    with pytest.raises(IngestError, match=r"audit\.log:3: not valid JSON"):
        load_lines(tmp_path, lines)


@pytest.mark.parametrize("materialize", [None, False], ids=["copied", "in place"])
def test_lines_after_skipped_lines_keep_their_numbers(
    tmp_path: Path, materialize: bool | None
) -> None:
    """With --skip-bad-records, lines the reader rejects (not UTF-8) are skipped and named;
    the entries and bad records after them keep their own line numbers, in each file (they had
    been shown one line early per rejected line before them), whether the rows are copied or
    read where they are."""
    bad = "not utf-8: \xff\xfe".encode("latin-1")
    good = [entry("request", f"r{n}", accessor=f"k{n}").encode() for n in range(5)]
    (tmp_path / "a.log").write_bytes(b"\n".join([good[0], b"", good[1]]) + b"\n")
    b_lines = [good[2], bad, bad, b"", good[3], bad, good[4], b"not json"]
    (tmp_path / "b.log").write_bytes(b"\n".join(b_lines) + b"\n")
    con = connect()
    paths = [tmp_path / "a.log", tmp_path / "b.log"]
    report = load_events(
        con, paths, log_format="vault", skip_bad_records=True, materialize=materialize
    )
    assert [(Path(b.path).name, b.line) for b in report.bad_records] == [
        ("b.log", 2),
        ("b.log", 3),
        ("b.log", 6),
        ("b.log", 8),
    ]
    rows = con.execute("SELECT key_id, source FROM events ORDER BY key_id").fetchall()
    a, b = tmp_path / "a.log", tmp_path / "b.log"
    assert rows == [
        ("k0", f"{a}:1"),
        ("k1", f"{a}:3"),
        ("k2", f"{b}:1"),
        ("k3", f"{b}:5"),
        ("k4", f"{b}:7"),
    ]


def test_gzip_and_directory(tmp_path: Path) -> None:
    """A gzip-compressed audit log in a folder is found and read."""
    folder = tmp_path / "audit"
    folder.mkdir()
    (folder / "vault_audit.log.gz").write_bytes(gzip.compress(SAMPLE.read_bytes()))
    con = connect()
    report = load_events(con, [folder])
    assert report.events == 4 and report.formats == {
        str(folder / "vault_audit.log.gz"): "vault/jsonl"
    }
