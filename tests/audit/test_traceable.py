"""Traceable evidence: log findings name their file:line (or record), request ids, addresses,
countries and time range; inventory findings their file and row; paths are never absolute."""

from __future__ import annotations

import gzip
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.reports.schema_check import sarif_errors
from toolkit.cli import cli

AS_OF = "2026-10-01T00:00:00Z"
INVENTORY = """key_id,name,owner,purpose,environment,created_at,expires_at,revoked_at
k-pay,payments,payments,pay,prod,2026-09-01T00:00:00Z,2026-12-01T00:00:00Z,
k-old,orders,orders,orders,prod,2025-01-01T00:00:00Z,2026-12-01T00:00:00Z,
k-gone,legacy,orders,legacy,prod,2026-08-01T00:00:00Z,2026-12-01T00:00:00Z,2026-09-10T00:00:00Z
"""
BURST_IPS = [("203.0.113.5", "FR"), ("203.0.113.6", "DE"), ("198.51.100.7", "NL")]
BURST_IPS += [("198.51.100.8", "BR"), ("198.51.100.9", "US")]


def _house(ts: str, key: str, ip: str, country: str, outcome: str, rid: str) -> str:
    """One house JSON line with a request id."""
    record = {"ts": ts, "key_id": key, "source_ip": ip, "country": country, "outcome": outcome}
    return json.dumps(record | {"request_id": rid}) + "\n"


def _write_logs(folder: Path) -> None:
    """A house log (normal use, a burst of 12 failures from 5 countries) and a CloudTrail file."""
    lines = [_house("2026-09-20T08:00:00Z", "k-pay", "192.0.2.1", "DE", "success", "ok-1")]
    for n in range(12):
        ip, country = BURST_IPS[n % len(BURST_IPS)]
        lines.append(
            _house(f"2026-09-28T10:00:{n:02d}Z", "k-pay", ip, country, "auth_failed", f"r-{n}")
        )
    (folder / "app").mkdir(parents=True)
    (folder / "app" / "api.jsonl").write_text("".join(lines), encoding="utf-8")
    records = [_trail("2026-09-15T10:00:00Z", "AKIAOLDUNKNOWN0001", f"ct-{n}") for n in range(2)]
    body = json.dumps({"Records": records}).encode()
    (folder / "trail.json.gz").write_bytes(gzip.compress(body, mtime=0))


def _trail(ts: str, key: str, rid: str) -> dict[str, object]:
    """One CloudTrail record of a key no inventory knows."""
    return {
        "eventVersion": "1.08",
        "eventTime": ts,
        "eventSource": "s3.amazonaws.com",
        "eventName": "ListBuckets",
        "awsRegion": "eu-central-1",
        "sourceIPAddress": "198.51.100.20",
        "userAgent": "aws-cli",
        "requestID": rid,
        "eventID": f"e-{rid}",
        "userIdentity": {"type": "IAMUser", "accessKeyId": key, "arn": "arn:aws:iam::1:user/x"},
    }


@pytest.fixture
def result(runner: CliRunner, tmp_path: Path) -> tuple[dict, dict, str]:
    """Audit an inventory and a log folder given by absolute paths; (document, SARIF, HTML)."""
    inputs = (tmp_path / "in").resolve()
    (inputs / "logs").mkdir(parents=True)
    (inputs / "keys.csv").write_text(INVENTORY, encoding="utf-8")
    extracted = datetime(2026, 9, 30, 23, tzinfo=UTC).timestamp()
    os.utime(inputs / "keys.csv", (extracted, extracted))
    _write_logs(inputs / "logs")
    (inputs / "app").mkdir()
    (inputs / "app" / "main.py").write_text("print('hello')\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["audit", "run", "--inventory", str(inputs / "keys.csv"), "--logs"]
    args += [str(inputs / "logs"), "--as-of", AS_OF, "--out", str(out)]
    args += ["--scan", str(inputs / "app"), "--frameworks", "soc2,pci-dss"]
    done = runner.invoke(cli, [*args, "--format", "json,sarif,html"], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    (doc_path,) = out.glob("*.json")
    (sarif_path,) = out.glob("*.sarif")
    (html_path,) = out.glob("*.html")
    return (
        json.loads(doc_path.read_text()),
        json.loads(sarif_path.read_text()),
        html_path.read_text(encoding="utf-8"),
    )


def _finding(doc: dict, rule: str, subject: str) -> dict:
    """The one finding of ``rule`` about ``subject``."""
    (found,) = [f for f in doc["findings"] if f["rule_id"] == rule and f["subject"] == subject]
    return found


def test_burst_names_lines_request_ids_addresses_countries_and_time(result: tuple) -> None:
    """The 12 failures are lines 2..13: the first three lines and request ids, 3 of 5 IPs."""
    trace = _finding(result[0], "failed-auth-burst", "k-pay")["trace"]
    assert trace["events"] == 12
    assert (trace["first_event"], trace["last_event"]) == (
        "2026-09-28T10:00:00Z",
        "2026-09-28T10:00:11Z",
    )
    assert trace["locations"] == [
        {"path": "logs/app/api.jsonl", "line": n, "record": None} for n in (2, 3, 4)
    ]
    assert trace["request_ids"] == ["r-0", "r-1", "r-2"]
    assert trace["source_ips"] == ["203.0.113.5", "203.0.113.6", "198.51.100.7"]
    assert trace["source_ips_total"] == 5
    assert (trace["countries"], trace["countries_total"]) == (["FR", "DE", "NL"], 5)


def test_cloudtrail_document_findings_name_records(result: tuple) -> None:
    """Events in a CloudTrail Records array are located by record number, not line."""
    trace = _finding(result[0], "unknown-key-activity", "AKIAOLDUNKNOWN0001")["trace"]
    assert trace["locations"] == [
        {"path": "logs/trail.json.gz", "line": None, "record": n} for n in (1, 2)
    ]
    assert trace["request_ids"] == ["ct-0", "ct-1"]


def test_inventory_findings_name_file_and_row(result: tuple) -> None:
    """k-old is on line 3 of keys.csv (line 1 is the header)."""
    key = _finding(result[0], "rotation-overdue", "k-old")["key"]
    assert key["source"] == {"path": "keys.csv", "line": 3, "record": None}
    assert "trace" not in _finding(result[0], "rotation-overdue", "k-old")


def test_no_absolute_path_of_the_auditing_machine(result: tuple, tmp_path: Path) -> None:
    """Inputs, log sources, evidence, SARIF and the HTML report show paths relative to inputs."""
    doc, sarif, html = result
    root = str(tmp_path.resolve())
    assert root not in json.dumps(doc) and root not in json.dumps(sarif) and root not in html
    assert {i["path"] for i in doc["inputs"]} == {
        "keys.csv",
        "logs/app/api.jsonl",
        "logs/trail.json.gz",
        "app",
    }


def test_sarif_points_at_log_lines_and_inventory_rows(result: tuple) -> None:
    """The burst's first line is its location, the next two related; k-old's row is line 3."""
    sarif = result[1]
    assert sarif_errors(sarif) == []
    by = {(r["ruleId"], r["partialFingerprints"]["keyvigilFindingId/v1"]): r
          for r in sarif["runs"][0]["results"]}  # fmt: skip
    doc = result[0]
    burst = by[("failed-auth-burst", _finding(doc, "failed-auth-burst", "k-pay")["id"])]
    place = burst["locations"][0]["physicalLocation"]
    assert place == {"artifactLocation": {"uri": "logs/app/api.jsonl"}, "region": {"startLine": 2}}
    assert [r["physicalLocation"]["region"]["startLine"] for r in burst["relatedLocations"]] == [
        3,
        4,
    ]
    old = by[("rotation-overdue", _finding(doc, "rotation-overdue", "k-old")["id"])]
    assert old["locations"][0]["physicalLocation"]["region"] == {"startLine": 3}


def test_report_evidence_reads_as_sentences(result: tuple) -> None:
    """The HTML evidence cell says where to look, in words, with no Python values."""
    html = result[2]
    assert "12 logged events on 28 Sep 2026 from 10:00:00 to 10:00:11 UTC" in html
    assert "first at logs/app/api.jsonl lines 2, 3 and 4." in html
    assert "Request ids: r-0, r-1 and r-2." in html
    assert "From 203.0.113.5, 203.0.113.6, 198.51.100.7 and 2 more." in html
    assert "Countries: FR, DE, NL and 2 more." in html
    assert "Key read from keys.csv line 3." in html
    for python in (">True<", ">False<", ">None<", "True,", "None,"):
        assert python not in html


def test_methodology_states_scope_and_population(result: tuple) -> None:
    """Full population, environments, the inventory's extraction time and basis, log days."""
    doc, _sarif, html = result
    (inventory,) = [i for i in doc["inputs"] if i["kind"] == "inventory"]
    assert (inventory["extracted_at"], inventory["extracted_basis"]) == (
        "2026-09-30T23:00:00Z",
        "file modification time",
    )
    assert doc["scope"]["environments"] == {"prod": 3}
    gaps = [(g["first_day"], g["last_day"], g["days"]) for g in doc["scope"]["log_gaps"]]
    assert gaps == [
        ("2026-09-16", "2026-09-19", 4),
        ("2026-09-21", "2026-09-27", 7),
        ("2026-09-29", "2026-09-30", 2),
    ]
    assert "all 3 keys read from the inventories were judged" in html
    assert "30 Sep 2026 23:00 UTC (file modification time)." in html
    assert 'Folders scanned for secrets: <span class="mono">app</span>.' in html
    assert "Days without a single event: 16 Sep 2026 to 19 Sep 2026 (4 days); 21 Sep 2026" in html


def test_parquet_logs_are_traced_to_their_rows_where_they_lie(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A Parquet log is queried in place, not copied: its burst is traced to rows 2..4 (given
    as records: a Parquet file has no lines) with the same request ids and countries as the
    same log in JSON Lines."""
    import duckdb

    _write_logs(tmp_path / "json")
    logs = tmp_path / "logs"
    logs.mkdir()
    jsonl = tmp_path / "json" / "app" / "api.jsonl"
    duckdb.connect().execute(
        f"COPY (SELECT * FROM read_json('{jsonl}', format = 'newline_delimited')) "
        f"TO '{logs / 'api.parquet'}'"
    )
    (tmp_path / "keys.csv").write_text(INVENTORY, encoding="utf-8")
    out = tmp_path / "out"
    args = ["audit", "run", "--inventory", str(tmp_path / "keys.csv"), "--logs", str(logs)]
    done = runner.invoke(cli, [*args, "--as-of", AS_OF, "--out", str(out), "--format", "json"])
    assert done.exit_code == 0, done.output
    (doc_path,) = out.glob("*.json")
    trace = _finding(json.loads(doc_path.read_text()), "failed-auth-burst", "k-pay")["trace"]
    assert trace["events"] == 12
    assert trace["locations"] == [
        {"path": "logs/api.parquet", "line": None, "record": n} for n in (2, 3, 4)
    ]
    assert trace["request_ids"] == ["r-0", "r-1", "r-2"]
    assert (trace["countries"], trace["countries_total"]) == (["FR", "DE", "NL"], 5)
