"""Bad input to every log reader: exit 2, one line naming file and line, nothing stored."""

from __future__ import annotations

import gzip
import json
import os
import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import data
from toolkit.analytics.duck import DuckBackend
from toolkit.analytics.duck.events import connect, load_events
from toolkit.analytics.duck.readers import LOG_READERS
from toolkit.analytics.interface import LoadOptions
from toolkit.cli import cli
from toolkit.errors import IngestError
from toolkit.rules.settings import DetectionSettings

INVENTORY = data("inventory/aws-list-access-keys.json")
VAULT = data("logs/vault-audit/elastic-integrations-hashicorp_vault-test-audit.excerpt.log")
DEEP = "[" * 10_000 + "]" * 10_000


def house(n: int, ts: str = "2026-09-01T10:00:{n:02d}Z") -> str:
    """One house-format JSON line."""
    return json.dumps({"ts": ts.format(n=n), "key_id": "k1", "status": 401})


def cloudtrail(n: int, ts: str = "2026-09-01T10:00:{n:02d}Z") -> str:
    """One CloudTrail record on one line."""
    return json.dumps(
        {
            "eventVersion": "1.08",
            "eventTime": ts.format(n=n),
            "eventSource": "sts.amazonaws.com",
            "eventName": "GetCallerIdentity",
            "eventID": f"e{n}",
            "sourceIPAddress": "198.51.100.7",
            "userIdentity": {"type": "IAMUser", "accessKeyId": "AKIAQXGTAZ6ZEXAMPLE2"},
        }
    )


def vault(n: int, ts: str = "2026-09-01T10:00:{n:02d}.5Z") -> str:
    """One Vault audit request entry on one line (the real sample's first line, re-timed)."""
    entry = json.loads(VAULT.read_text().splitlines()[0])
    entry["request"]["id"] = f"r{n}"
    return json.dumps(entry | {"time": ts.format(n=n)})


LINE_READERS: dict[str, Callable[..., str]] = {
    "house": house,
    "cloudtrail": cloudtrail,
    "vault": vault,
}
TIME_FIELD = {"house": "ts", "cloudtrail": "eventTime", "vault": "time"}


def lines_file(tmp_path: Path, reader: str, bad: str) -> tuple[Path, int]:
    """A JSON-lines log of ``reader`` with one bad class; returns (path, line named)."""
    make = LINE_READERS[reader]
    good = [make(1).encode(), make(2).encode()]
    if bad == "truncated":
        body, line = [good[0], make(3).encode()[:30], good[1]], 2
    elif bad == "nul-byte":
        body, line = [good[0], make(3).encode().replace(b"1", b"1\x00", 1), good[1]], 2
    elif bad == "latin-1":
        body, line = [good[0], make(3).encode().replace(b'"', b'"\xe9', 1), good[1]], 2
    elif bad == "nul-tail":
        body, line = [*good, b"\x00" * 200_000], 3
    elif bad == "naive-time":
        body, line = [make(3, ts="2026-09-01T10:00:{n:02d}").encode(), *good], 1
    elif bad == "deep-first-record":
        record = json.dumps(json.loads(make(3))).encode()
        body, line = [record[:-1] + b', "deep": ' + DEEP.encode() + b"}", *good], 1
    elif bad == "escaped-nul":  # valid JSON ("\u0000"), but no database stores NUL in text
        record = json.loads(make(3))
        if reader == "vault":
            record["auth"]["display_name"] = "oidc-\x00"
        else:
            record[{"house": "key_id", "cloudtrail": "userAgent"}[reader]] = "x\x00y"
        body, line = [good[0], json.dumps(record).encode(), good[1]], 2
    else:  # missing-time
        record = json.loads(make(3))
        del record[TIME_FIELD[reader]]
        body, line = [good[0], json.dumps(record).encode(), good[1]], 2
    path = tmp_path / f"{reader}-{bad}.log"
    path.write_bytes(b"\n".join(body) + b"\n")
    return path, line


CLASSES = [
    "truncated",
    "nul-byte",
    "latin-1",
    "nul-tail",
    "naive-time",
    "deep-first-record",
    "missing-time",
    "escaped-nul",
]


def audit(runner: CliRunner, tmp_path: Path, log: Path) -> tuple[int, str, str]:
    """Run `audit run` on the log; return exit code, stderr and the database URL."""
    db = f"sqlite:///{tmp_path / 'audit.db'}"
    args = ["audit", "run", "--db", db, "--inventory", str(INVENTORY), "--logs", str(log)]
    result = runner.invoke(cli, [*args, "--as-of", "2026-10-01", "--out", str(tmp_path / "o")])
    return result.exit_code, result.stderr, db


def nothing_stored(db: str) -> bool:
    """True when the database holds no key, run or trail entry (or was never created)."""
    path = db.removeprefix("sqlite:///")
    if not os.path.exists(path):
        return True
    with sqlite3.connect(path) as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return all(
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] == 0
            for t in ("keys", "audit_runs", "trail", "imports")
            if t in tables
        )


def assert_refused(runner: CliRunner, tmp_path: Path, log: Path, place: str) -> str:
    """Exit 2, one stderr line starting with the place, no traceback, nothing stored."""
    code, stderr, db = audit(runner, tmp_path, log)
    assert code == 2, stderr
    assert stderr.count("\n") == 1 and stderr.startswith(f"Error: {place}"), stderr
    assert "Traceback" not in stderr and "CSV Error" not in stderr
    assert nothing_stored(db)
    return stderr


def test_every_reader_is_in_the_matrix() -> None:
    """A new reader must be added to the bad-input matrix."""
    assert set(LINE_READERS) == set(LOG_READERS)


@pytest.mark.parametrize("bad", CLASSES)
@pytest.mark.parametrize("reader", sorted(LINE_READERS))
def test_bad_lines(runner: CliRunner, tmp_path: Path, reader: str, bad: str) -> None:
    """Each bad-input class in each JSON-lines reader is refused at its line."""
    log, line = lines_file(tmp_path, reader, bad)
    if (reader, bad) == ("cloudtrail", "deep-first-record"):
        # recognised by its leading "eventVersion" and read whole by DuckDB: nothing is lost
        assert load_events(connect(), [log]).events == 3
        return
    assert_refused(runner, tmp_path, log, f"{log}:{line}:")


@pytest.mark.parametrize("bad", ["nul-byte", "latin-1", "nul-tail", "naive-time"])
def test_bad_house_csv(runner: CliRunner, tmp_path: Path, bad: str) -> None:
    """The house CSV variant: the same classes, named by line."""
    rows = [b"ts,key_id,status", b"2026-09-01T10:00:01Z,k1,401", b"2026-09-01T10:00:02Z,k1,401"]
    line = 3
    if bad == "nul-byte":
        rows[2] = rows[2].replace(b"k1", b"k\x001")
    elif bad == "latin-1":
        rows[2] = rows[2].replace(b"k1", b"k\xe9")
    elif bad == "nul-tail":
        rows.append(b"\x00" * 200_000)
        line = 4
    else:
        rows[1], line = b"2026-09-01T10:00:01,k1,401", 2
    log = tmp_path / "api.csv"
    log.write_bytes(b"\n".join(rows) + b"\n")
    assert_refused(runner, tmp_path, log, f"{log}:{line}:")


@pytest.mark.parametrize("reader", ["cloudtrail", "vault"])
@pytest.mark.parametrize("bad", ["truncated", "nul-tail", "naive-time"])
def test_bad_printed_documents(runner: CliRunner, tmp_path: Path, reader: str, bad: str) -> None:
    """Records printed over lines (documents): the file, and the record where known."""
    record = json.loads(LINE_READERS[reader](1))
    place = f"{tmp_path / 'doc.json'}"
    if bad == "naive-time":
        record[TIME_FIELD[reader]] = record[TIME_FIELD[reader]].rstrip("Z")
        place += ": record 1:"  # the document's first item, not its first line
    body = json.dumps(record, indent=2).encode()
    if bad == "truncated":
        body = body[: len(body) - 40]
    elif bad == "nul-tail":
        body += b"\n" + b"\x00" * 200_000
    log = tmp_path / "doc.json"
    log.write_bytes(body)
    assert_refused(runner, tmp_path, log, place)


@pytest.mark.parametrize("reader", ["house", "vault"])
def test_record_over_the_size_limit(runner: CliRunner, tmp_path: Path, reader: str) -> None:
    """A line-read record over 16 MiB is an error at its line, never silently dropped."""
    log = tmp_path / "big.log"
    if reader == "vault":
        entry = json.loads(vault(3)) | {"pad": "a" * (17 << 20)}
        log.write_text("\n".join([vault(1), json.dumps(entry), vault(2)]) + "\n")
    else:
        big = "2026-09-01T10:00:03Z,k1,401," + "a" * (26 << 20)
        rows = ["ts,key_id,status,note", "2026-09-01T10:00:01Z,k1,401,x", big]
        log.write_text("\n".join(rows) + "\n")
    stderr = assert_refused(runner, tmp_path, log, f"{log}:")
    assert ":3:" in stderr or ":2:" in stderr


def test_a_damaged_parquet_page_met_after_the_load(runner: CliRunner, tmp_path: Path) -> None:
    """Parquet is read where it is: a damaged page of the time column, which the load takes
    from the file's statistics, is met only by the detections; still bad input, named by file
    (it was an internal error, exit 3)."""
    log = tmp_path / "events.parquet"
    con = connect()
    con.execute(
        f"""COPY (SELECT TIMESTAMPTZ '2026-09-01 00:00:00+00' + INTERVAL (i) SECOND AS ts,
                'k' || (i % 7) AS key_id, CASE WHEN i % 5 = 0 THEN 401 ELSE 200 END AS status
            FROM range(100000) t(i)) TO '{log}' (COMPRESSION zstd)"""
    )
    (start,) = con.execute(
        f"SELECT data_page_offset FROM parquet_metadata('{log}') "
        "WHERE path_in_schema = 'ts' ORDER BY row_group_id LIMIT 1"
    ).fetchone()
    body = bytearray(log.read_bytes())
    for at in range(start + 40, start + 72):  # the first page's compressed values, past its header
        body[at] ^= 0x5A
    log.write_bytes(body)
    assert load_events(connect(), [log]).events == 100_000  # the load itself reads no ts page
    stderr = assert_refused(runner, tmp_path, log, f"{log}: cannot be read: ")
    assert "Failed to read file" in stderr


def _gzip_log(tmp_path: Path, damage: str, reader: str = "house") -> Path:
    """A JSON-lines log of ``reader`` of 20,000 records, gzip, damaged: ``early`` (a deflate
    error in the part read to sniff it), ``cut`` (ends early), ``late`` (bytes flipped at two
    thirds of the stream, which DuckDB decompresses on through)."""
    minute = "2026-09-01T10:{m:02d}:{{n:02d}}" + (".5Z" if reader == "vault" else "Z")
    make = LINE_READERS[reader]
    records = [make(n % 60, ts=minute.format(m=n // 60 % 60)) for n in range(20_000)]
    data = bytearray(gzip.compress(("\n".join(records) + "\n").encode(), mtime=0))
    if damage == "cut":
        data = data[: len(data) // 2]
    else:
        at = 30 if damage == "early" else len(data) * 2 // 3
        for i in range(at, at + 40):
            data[i] ^= 0xFF
    log = tmp_path / f"{reader}-{damage}.log.gz"
    log.write_bytes(data)
    return log


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        ("early", ": cannot read: damaged gzip data (Error -3 while decompressing data: "),
        ("cut", ": cannot be read: IO Error: Unexpected end of GZIP stream"),
        ("late", ": cannot be read to its end: damaged gzip data (CRC check failed "),
    ],
)
def test_a_damaged_gzip_log_is_named_as_such(
    runner: CliRunner, tmp_path: Path, damage: str, said: str
) -> None:
    """A damaged gzip log is refused as damaged, whoever meets the damage first: the sniff,
    DuckDB's scan, or the line pass after DuckDB read on through a stream whose check fails
    (that was 'outcome: missing' on thousands of records, without a line, and an internal
    error for a deflate error in the sniffed head)."""
    log = _gzip_log(tmp_path, damage)
    assert_refused(runner, tmp_path, log, f"{log}{said}")


@pytest.mark.parametrize("reader", sorted(LINE_READERS))
def test_a_damaged_gzip_log_is_skipped_whole(
    runner: CliRunner, tmp_path: Path, reader: str
) -> None:
    """A gzip log damaged past its head is named as damaged, in every line reader (a Vault log
    numbers its own lines: it is read through for its checksum all the same). With
    --skip-bad-records it is left out whole, beside the logs that read: the records DuckDB made
    of the damaged stream parse at times (one read 7026-09-01), and the checksum says only that
    the stream is damaged, not where. Alone, it is refused."""
    damaged, good = _gzip_log(tmp_path, "late", reader), tmp_path / "good.jsonl"
    good.write_text(house(1) + "\n")
    args = ["alerts", "--as-of", "2026-10-01", "--skip-bad-records", "--json"]
    result = runner.invoke(cli, [*args, "--logs", str(damaged), "--logs", str(good)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("read 1 event(s) from 2 file(s), 2026-09-01T10:00:01Z .. ")
    assert f"{damaged}: cannot be read to its end: damaged gzip data (CRC" in result.stderr
    alone = runner.invoke(cli, [*args, "--logs", str(damaged)])
    assert alone.exit_code == 2
    assert alone.stderr.startswith(f"Error: {damaged}: cannot be read to its end: ")


@pytest.mark.parametrize("damage", ["junk", "cut short"])
def test_a_parquet_file_that_cannot_be_opened(
    runner: CliRunner, tmp_path: Path, damage: str
) -> None:
    """A .parquet file without a footer is bad input named by file, as a failed scan is (its
    schema, read before the scan, raised DuckDB's own error: an internal error, exit 3); with
    --skip-bad-records it is skipped and counted, the other files read."""
    good = tmp_path / "good.parquet"
    connect().execute(
        f"COPY (SELECT TIMESTAMPTZ '2026-09-01 00:00:00+00' AS ts, 'k1' AS key_id, "
        f"200 AS status) TO '{good}'"
    )
    log = tmp_path / "events.parquet"
    log.write_bytes(b"PAR1 no footer" if damage == "junk" else good.read_bytes()[:-12])
    assert_refused(runner, tmp_path, log, f"{log}: cannot be read: ")
    args = ["alerts", "--logs", str(log), "--logs", str(good), "--skip-bad-records"]
    result = runner.invoke(cli, [*args, "--as-of", "2026-10-01", "--json"])
    assert result.exit_code == 0, result.stderr
    assert "read 1 event(s) from 2 file(s)" in result.stderr
    assert f"{log}: cannot be read: " in result.stderr


@pytest.mark.parametrize("change", ["removed", "rewritten"])
def test_a_parquet_file_changed_after_the_load(tmp_path: Path, change: str) -> None:
    """A Parquet file is read again by each query: gone or no longer Parquet by the time the
    detections run, it is named as a load names it (DuckDB's own error was raised before)."""
    log = tmp_path / "events.parquet"
    connect().execute(
        f"""COPY (SELECT TIMESTAMPTZ '2026-09-01 00:00:00+00' AS ts, 'k1' AS key_id,
                401 AS status) TO '{log}'"""
    )
    backend = DuckBackend()
    backend.load([log], LoadOptions())
    log.unlink()
    if change == "rewritten":
        log.write_bytes(b"PAR1 no longer Parquet")
    with pytest.raises(IngestError, match=rf"^{re.escape(str(log))}: cannot be read: ") as err:
        backend.analyse([], DetectionSettings(), datetime(2026, 10, 1, tzinfo=UTC))
    assert err.value.path == str(log)


def test_vault_errors_do_not_speak_of_csv(runner: CliRunner, tmp_path: Path) -> None:
    """A Vault line that is not UTF-8 is named as such, not as a 'CSV Error on Line'."""
    log, line = lines_file(tmp_path, "vault", "latin-1")
    stderr = assert_refused(runner, tmp_path, log, f"{log}:{line}:")
    assert "not UTF-8 text" in stderr


@pytest.mark.parametrize("kind", ["fifo", "loop", "dangling"])
def test_special_files_given_as_logs(runner: CliRunner, tmp_path: Path, kind: str) -> None:
    """A FIFO, a symlink loop or a broken link is refused with the true reason, at once."""
    log = tmp_path / "audit.log"
    if kind == "fifo":
        os.mkfifo(log)
        reason = "not a regular file but a named pipe (FIFO)"
    elif kind == "loop":
        (tmp_path / "other.log").symlink_to(log)
        log.symlink_to(tmp_path / "other.log")
        reason = "symbolic link loop"
    else:
        log.symlink_to(tmp_path / "rotated-away.log")
        reason = "broken symbolic link"
    stderr = assert_refused(runner, tmp_path, log, f"{log}: {reason}")
    assert "no such file or directory" not in stderr


def test_skipped_bad_records_are_counted(runner: CliRunner, tmp_path: Path) -> None:
    """With --skip-bad-records a NUL tail is a counted skip, and the good events are kept."""
    log, _line = lines_file(tmp_path, "house", "nul-tail")
    args = ["alerts", "--logs", str(log), "--as-of", "2026-10-01", "--skip-bad-records"]
    result = runner.invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    assert f"{log}:3" in result.stderr + result.stdout


@pytest.mark.parametrize("form", ["jsonl", "parquet"])
def test_nul_in_a_log_field_on_every_database(db_url: str, tmp_path: Path, form: str) -> None:
    """A NUL character in a logged name is refused before anything reaches the database: in a
    JSON line, and in a Parquet file, which is queried where it is (it is copied after all)."""
    log, line = lines_file(tmp_path, "house", "escaped-nul")
    where = f"{log}:{line}"
    if form == "parquet":  # the same records, in the same order
        text, log = log, tmp_path / "events.parquet"
        connect().execute(f"COPY (SELECT * FROM read_json('{text}')) TO '{log}'")
        where = f"{log}: record {line}"
    args = ["audit", "run", "--db", db_url, "--inventory", str(INVENTORY), "--logs", str(log)]
    result = CliRunner().invoke(cli, [*args, "--as-of", "2026-10-01", "--out", str(tmp_path)])
    assert result.exit_code == 2, result.stderr
    assert result.stderr == f"Error: {where}: key_id: contains a NUL character\n"
