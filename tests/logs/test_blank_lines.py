"""Blank lines in JSON Lines and CSV logs: DuckDB skips them without a row, and the events after
them keep their own line numbers (in ``source``, in traces and in bad records)."""

from __future__ import annotations

import gzip
import json
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from toolkit.analytics.duck import DuckBackend
from toolkit.analytics.duck.events import connect, load_events
from toolkit.analytics.duck.readers import blank as blank_module
from toolkit.analytics.duck.readers import linebook as linebook_module
from toolkit.analytics.duck.readers.blank import (
    CSV_LINES,
    JSON_LINES,
    BlankPlan,
    FileLines,
    LineRule,
    blank_lines,
    seen,
)
from toolkit.analytics.interface import LoadOptions
from toolkit.errors import IngestError
from toolkit.rules.interface import EventWindow
from toolkit.rules.settings import DetectionSettings


def record(second: int, key: str = "k1", outcome: str = "success") -> str:
    """One house JSON Lines record."""
    ts = f"2026-07-01T00:00:{second:02d}Z"
    return json.dumps({"ts": ts, "key_id": key, "source_ip": "10.0.0.1", "outcome": outcome})


def sources(con: object) -> list[tuple[str, str]]:
    """(key id, source) of every loaded event, in time order."""
    return con.execute("SELECT key_id, source FROM events ORDER BY ts").fetchall()  # type: ignore[attr-defined]


PIECES = [b"", b" ", b"\t", b"\r", b" \r", b"\x0b\x0c", b"x", b" x ", b"{}", b"  {}\r", b"\x1c"]
PIECES += [b'"', b'a,"b', b'""', b'x"\n"y', b'"\n\n"']  # quotes, quoted line breaks


def reference(data: bytes, rule: LineRule) -> FileLines:
    """The lines that begin no row the slow way: byte by byte, a line ended by a newline is
    blank if it strips to nothing (and, for CSV, began outside quotes); the line after a
    newline inside quotes continues a row."""
    blank, continued, in_quotes, line, start = [], [], False, 1, 0
    for i, byte in enumerate(data):
        if rule.quoted and byte == ord('"'):
            in_quotes = not in_quotes
        elif byte == ord("\n"):
            began_inside = line in continued
            if not began_inside and not data[start:i].strip(rule.spaces):
                blank.append(line)
            line, start = line + 1, i + 1
            if rule.quoted and in_quotes:
                continued.append(line)
    return FileLines(tuple(blank), tuple(continued))


@pytest.mark.parametrize("piece_bytes", [1, 2, 3, 5, 8, 64, 1 << 22])
@pytest.mark.parametrize("rule", [JSON_LINES, CSV_LINES], ids=["json", "csv"])
def test_lines_without_a_row_match_a_byte_by_byte_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece_bytes: int, rule: LineRule
) -> None:
    """Whatever the pieces the file is read in (a line, or a quoted field, split across any two
    of them), the blank and continued lines are exactly those a byte-by-byte reading finds;
    gzip the same."""
    monkeypatch.setattr(blank_module, "PIECE_BYTES", piece_bytes)
    rng = random.Random(piece_bytes)
    for trial in range(40):
        data = b"\n".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 30)))
        data += rng.choice([b"", b"\n", b"\n\n", b" "])
        expected = reference(data, rule)
        path = tmp_path / f"{trial}.log"
        path.write_bytes(data)
        assert blank_lines(BlankPlan(str(path), False, rule, seen(str(path)))) == expected, data
        path.write_bytes(gzip.compress(data))
        assert blank_lines(BlankPlan(str(path), True, rule, seen(str(path)))) == expected, data


def test_a_file_not_as_it_was_loaded_has_unknown_lines(tmp_path: Path) -> None:
    """A file changed since the load (another size or time), removed, or whose gzip stream is
    cut short cannot be numbered by a pass over it: its lines are unknown, never an error."""
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"a\n\nb\n")
    plan = BlankPlan(str(path), False, JSON_LINES, seen(str(path)))
    assert blank_lines(plan) == FileLines(blank=(2,))
    path.write_bytes(b"a\n\nb\nc\n")
    assert blank_lines(plan) == FileLines(whole=False)
    path.unlink()
    assert blank_lines(plan) == FileLines(whole=False)
    data = gzip.compress(b"a\n\nb\n" + b"c\n" * 100_000)
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) // 2])
    assert blank_lines(BlankPlan(str(cut), True, JSON_LINES, seen(str(cut)))).whole is False


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_jsonl_events_after_blank_lines_keep_their_lines(tmp_path: Path, gz: bool) -> None:
    """Empty lines, lines of spaces, tabs, form feeds and a CRLF line ending are blank to the
    JSON reader; the events after them are named at their own lines, and so are a bad record
    and a line that is not JSON after them (the bad ones skipped)."""
    lines = [
        record(0, "k1"),
        "",
        "   ",
        record(1, "k2"),
        "\t\x0c",
        "\r",
        record(2, "k3"),
        '{"ts": "yesterday", "key_id": "k4", "outcome": "success"}',
        "",
        "{not json",
        record(3, "k5"),
    ]
    text = ("\n".join(lines) + "\n").encode()
    path = tmp_path / "a.jsonl"
    path.write_bytes(gzip.compress(text) if gz else text)
    con = connect()
    report = load_events(con, [path], skip_bad_records=True)
    assert [(b.line, b.field, b.reason) for b in report.bad_records] == [
        (8, "ts", "missing, or not a timestamp with a time zone"),
        (10, None, "not valid JSON"),
    ]
    assert sources(con) == [
        (k, f"{path}:{n}") for k, n in [("k1", 1), ("k2", 4), ("k3", 7), ("k5", 11)]
    ]
    with pytest.raises(IngestError) as refused:
        load_events(connect(), [path])
    assert refused.value.line == 8 and refused.value.field == "ts"


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_csv_rows_after_empty_lines_keep_their_lines(tmp_path: Path, newline: str) -> None:
    """The CSV reader skips an empty line (a line of spaces is a row, and a bad one); rows
    after empty lines and after a row it cannot split keep their lines, bad records too."""
    lines = [
        "ts,key_id,source_ip,outcome",
        "",
        "2026-07-01T00:00:00Z,k1,10.0.0.1,success",
        "",
        "",
        "2026-07-01T00:00:01Z,k2,10.0.0.1,success,surplus",
        "2026-07-01T00:00:02Z,k3,10.0.0.1,success",
        "   ",
        "2026-07-01T00:00:03Z,k4,10.0.0.1,bogus",
        "",
        "2026-07-01T00:00:04Z,k5,10.0.0.1,success",
    ]
    path = tmp_path / "a.csv"
    path.write_bytes(newline.join(lines).encode() + newline.encode())
    con = connect()
    report = load_events(con, [path], skip_bad_records=True)
    assert [(b.line, b.field) for b in report.bad_records] == [
        (6, None),
        (8, "ts"),
        (9, "outcome"),
    ]
    assert sources(con) == [(k, f"{path}:{n}") for k, n in [("k1", 3), ("k3", 7), ("k5", 11)]]
    with pytest.raises(IngestError, match=r"a\.csv:6: malformed CSV row"):
        load_events(connect(), [path])


def test_each_file_keeps_its_own_blank_lines(tmp_path: Path) -> None:
    """Several files: each one's blank lines move only its own events."""
    a = tmp_path / "a.jsonl"
    a.write_text("\n".join([record(0, "a1"), record(2, "a2")]) + "\n")
    b = tmp_path / "b.jsonl"
    b.write_text("\n".join(["", record(1, "b1"), "", "", record(3, "b2")]) + "\n")
    c = tmp_path / "c.csv"
    c.write_text("ts,key_id,outcome\n\n2026-07-01T00:00:04Z,c1,success\n")
    con = connect()
    load_events(con, [a, b, c])
    assert sources(con) == [
        ("a1", f"{a}:1"),
        ("b1", f"{b}:2"),
        ("a2", f"{a}:2"),
        ("b2", f"{b}:5"),
        ("c1", f"{c}:3"),
    ]


def test_cloudtrail_records_one_per_line_after_blank_lines(tmp_path: Path) -> None:
    """CloudTrail records written one per line are read the same way."""
    event = {
        "eventVersion": "1.08",
        "eventTime": "2026-07-01T00:00:00Z",
        "eventName": "ListBuckets",
        "eventSource": "s3.amazonaws.com",
        "sourceIPAddress": "10.0.0.1",
        "userIdentity": {"type": "IAMUser", "accessKeyId": "AKIAEXAMPLE0000001"},
    }
    later = dict(event, eventTime="2026-07-01T00:00:05Z")
    path = tmp_path / "trail.jsonl"
    path.write_text("\n".join([json.dumps(event), "", " ", json.dumps(later)]) + "\n")
    con = connect()
    assert load_events(con, [path]).formats == {str(path): "cloudtrail/lines"}
    found = con.execute("SELECT source FROM events ORDER BY ts").fetchall()
    assert found == [(f"{path}:1",), (f"{path}:4",)]


def test_the_backend_reads_the_files_again_only_for_a_trace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading and detecting never look for blank lines (a second pass over the files); the
    first trace does, once, and names each event at its own line."""
    looked: list[str] = []

    def counted(plan: BlankPlan) -> FileLines:
        looked.append(plan.path)
        return blank_lines(plan)

    monkeypatch.setattr(linebook_module, "blank_lines", counted)
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join([record(0), "", "", record(1), "", record(2)]) + "\n")
    backend = DuckBackend()
    try:
        assert backend.load([path], LoadOptions()).events == 3
        assert looked == []
        start = datetime(2026, 7, 1, tzinfo=UTC)
        window = EventWindow(start, start.replace(second=59), key_id="k1")
        traced = backend.trace([window])[window]
        assert [(x.path, x.line) for x in traced.locations] == [(str(path), n) for n in (1, 4, 6)]
        assert looked == [str(path)]
        backend.trace([window])
        assert looked == [str(path)]  # once per load
    finally:
        backend.close()


def test_a_checks_examples_are_named_at_their_lines(tmp_path: Path) -> None:
    """A log check that quotes where its events are (events with neither key nor principal)
    has the blank lines counted in too, though a run that only detects reads nothing else."""
    keyless = json.dumps({"ts": "2026-07-01T00:00:09Z", "source_ip": "10.0.0.9", "status": 200})
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join([record(0), "", keyless, "", "", keyless]) + "\n")
    backend = DuckBackend()
    try:
        backend.load([path], LoadOptions())
        as_of = datetime(2026, 7, 2, tzinfo=UTC)
        analysis = backend.analyse([], DetectionSettings(), as_of)
        (hit,) = [h for h in analysis.hits["access-without-audit-trail"] if h.window]
        assert hit.evidence["examples"] == [f"{path}:3", f"{path}:6"]
    finally:
        backend.close()


def test_csv_rows_over_several_lines_are_read_and_keep_their_lines(tmp_path: Path) -> None:
    """A quoted field may hold line breaks (blank lines too): DuckDB's parallel CSV reader
    refuses such a file, so it is read on one thread, and each row is named at the line it
    begins on, rejected rows and the rows after them too (DuckDB itself numbers a rejected row
    by its records, not its lines)."""
    lines = [
        "ts,key_id,source_ip,outcome,user_agent",
        '2026-07-01T00:00:00Z,k1,10.0.0.1,success,"curl/8',
        "",
        'x ""quoted"""',
        "",
        "2026-07-01T00:00:01Z,k2,10.0.0.1,success",
        "2026-07-01T00:00:02Z,k3,10.0.0.1,success,x,surplus",
        '2026-07-01T00:00:03Z,k4,10.0.0.1,success,"a',
        'b"',
        "2026-07-01T00:00:04Z,k5,10.0.0.1,bogus,z",
        "2026-07-01T00:00:05Z,k6,10.0.0.1,success,z",
    ]
    path = tmp_path / "a.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(IngestError, match=r"a\.csv:7: malformed CSV row \(too many columns\)"):
        load_events(connect(), [path])
    con = connect()
    report = load_events(con, [path], skip_bad_records=True)
    assert [(b.line, b.field) for b in report.bad_records] == [(7, None), (10, "outcome")]
    assert sources(con) == [
        (k, f"{path}:{n}") for k, n in [("k1", 2), ("k2", 6), ("k4", 8), ("k6", 11)]
    ]
    agents = con.execute("SELECT user_agent FROM events WHERE key_id IN ('k1', 'k4')")
    assert sorted(a for (a,) in agents.fetchall()) == ["a\nb", 'curl/8\n\nx "quoted"']


def test_a_log_changed_after_the_load_is_traced_without_line_numbers(tmp_path: Path) -> None:
    """A log rewritten between the load and the trace (its lines may have moved): its events
    are traced to the file alone, not to lines that may be wrong."""
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join([record(0), "", record(1)]) + "\n")
    backend = DuckBackend()
    try:
        backend.load([path], LoadOptions())
        path.write_text("\n".join(["", "", record(0), record(1)]) + "\n")
        start = datetime(2026, 7, 1, tzinfo=UTC)
        window = EventWindow(start, start.replace(second=59), key_id="k1")
        traced = backend.trace([window])[window]
        assert [(x.path, x.line) for x in traced.locations] == [(str(path), None)] * 2
    finally:
        backend.close()


def test_a_log_with_a_blank_line_after_every_record(tmp_path: Path) -> None:
    """As many blank lines as records (double-spaced output): every event is named at its own
    odd line, the bad ones too (the lines are counted per row by one join, not per row by a
    list of every skipped line)."""
    count = 3_000
    path = tmp_path / "a.jsonl"
    records = [record(n % 60, f"k{n % 7}") for n in range(count)]
    records[2_500] = '{"ts": "never", "key_id": "k9", "outcome": "success"}'
    path.write_text("".join(f"{r}\n\n" for r in records))
    con = connect()
    report = load_events(con, [path], skip_bad_records=True)
    assert [(b.line, b.field) for b in report.bad_records] == [(5_001, "ts")]
    found = sorted(
        int(s.rpartition(":")[2]) for (s,) in con.execute("SELECT source FROM events").fetchall()
    )
    assert found == [2 * i + 1 for i in range(count) if i != 2_500]


def test_a_trace_after_an_analysis_names_the_lines(tmp_path: Path) -> None:
    """The analysis leaves the connection as a detection left it (its last result read only in
    part): the trace after it still settles the lines (DuckDB refuses to take the skipped lines
    in while a result is unfinished)."""
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join([record(0), "", record(1), " ", record(2)]) + "\n")
    backend = DuckBackend()
    try:
        backend.load([path], LoadOptions())
        backend.analyse([], DetectionSettings(), datetime(2026, 7, 2, tzinfo=UTC))
        start = datetime(2026, 7, 1, tzinfo=UTC)
        window = EventWindow(start, start.replace(second=59), key_id="k1")
        traced = backend.trace([window])[window]
        assert [x.line for x in traced.locations] == [1, 3, 5]
    finally:
        backend.close()
