"""House-format access logs (JSON Lines, CSV, Parquet) into the events relation."""

from __future__ import annotations

import gzip
import threading
from pathlib import Path

import duckdb
import pytest

from tests.conftest import data
from toolkit.analytics.duck.events import EVENT_COLUMNS, connect, load_events
from toolkit.analytics.duck.readers.files import NUL_ESCAPE, SCAN_BYTES, may_hold_nul
from toolkit.analytics.duck.readers.house import ZONED_SQL, has_zone
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


@pytest.mark.parametrize(
    ("status", "outcome", "code"),
    [
        (200, "success", None),
        (204, "success", None),
        (302, "success", None),
        (401, "auth_failed", "401"),
        (403, "denied", "403"),
        (404, "error", "404"),
        (429, "error", "429"),
        (500, "error", "500"),
        (503, "error", "503"),
    ],
)
def test_http_status_mapping(tmp_path: Path, status: int, outcome: str, code: str | None) -> None:
    """2xx/3xx success, 401 auth_failed, 403 denied, other 4xx and 5xx error."""
    line = f'{{"ts":"2026-07-01T00:00:00Z","key_id":"k","status":{status}}}'
    con = connect()
    load_events(con, [write(tmp_path / "s.jsonl", [line])])
    assert con.execute("SELECT outcome, error_code FROM events").fetchall() == [(outcome, code)]


def test_unknown_status_is_a_bad_record(tmp_path: Path) -> None:
    """A 1xx status or an unknown outcome word has no outcome: the record is bad."""
    lines = [
        '{"ts":"2026-07-01T00:00:00Z","key_id":"k","status":101}',
        '{"ts":"2026-07-01T00:00:00Z","key_id":"k","outcome":"maybe"}',
    ]
    report = load_events(connect(), [write(tmp_path / "s.jsonl", lines)], skip_bad_records=True)
    assert report.events == 0 and [(b.line, b.field) for b in report.bad_records] == [
        (1, "outcome"),
        (2, "outcome"),
    ]


CSV = """timestamp,keyId,remote_addr,path,status,user_agent
2026-07-01T00:00:00Z,k1,8.8.8.8,/v1/a,200,curl/8
2026-07-01T00:00:05Z,k1,8.8.8.8,/v1/a,401,curl/8
2026-07-01T00:00:09Z,k2,192.168.1.9,/v1/b,403,"agent, with comma"
"""


def test_csv(tmp_path: Path) -> None:
    """CSV with alias headers; quoted fields; sources count the header line."""
    path = tmp_path / "a.csv"
    path.write_text(CSV)
    con = connect()
    report = load_events(con, [path])
    assert report.formats == {str(path): "house/csv"} and report.events == 3
    rows = con.execute(
        "SELECT key_id, outcome, country, user_agent, source FROM events ORDER BY ts"
    ).fetchall()
    assert [r[:2] for r in rows] == [("k1", "success"), ("k1", "auth_failed"), ("k2", "denied")]
    assert rows[2][2:] == ("private", "agent, with comma", f"{path}:4")


def test_csv_bad_timestamp_names_line(tmp_path: Path) -> None:
    """A CSV row whose timestamp does not parse is named by its line."""
    path = tmp_path / "a.csv"
    path.write_text(CSV.replace("2026-07-01T00:00:05Z", "soon"))
    with pytest.raises(IngestError) as err:
        load_events(connect(), [path])
    assert (err.value.line, err.value.field) == (3, "ts")


def test_parquet_glob_and_directory(tmp_path: Path) -> None:
    """Parquet written by DuckDB is read by column name; globs and directories expand."""
    src = write(tmp_path / "src.jsonl", LINES)
    out = tmp_path / "pq"
    out.mkdir()
    con = connect()
    for i in (1, 2):
        con.execute(
            f"""COPY (SELECT * FROM read_json('{src}', format = 'newline_delimited'))
                TO '{out}/part{i}.parquet' (FORMAT parquet)"""
        )
    for paths in ([out], [f"{out}/*.parquet"]):
        con = connect()
        report = load_events(con, paths)
        assert report.events == 6 and set(report.formats.values()) == {"house/parquet"}
        assert f"{out}/part2.parquet:3" in {
            r[0] for r in con.execute("SELECT source FROM events").fetchall()
        }


def _staged_as(con: duckdb.DuckDBPyConnection) -> str:
    """Whether the load copied the files into a table or left them in place behind a view."""
    (kind,) = con.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_name = '_events'"
    ).fetchone() or ("",)
    return "view" if kind == "VIEW" else "table"


def test_parquet_is_queried_in_place_and_text_copied_by_default(tmp_path: Path) -> None:
    """By default Parquet stays where it is (same events, same file:row sources as a copy);
    JSON Lines, and a load mixing both, are copied once; ``materialize`` overrides either way."""
    src = write(tmp_path / "src.jsonl", LINES)
    pq = tmp_path / "a.parquet"
    connect().execute(
        f"COPY (SELECT * FROM read_json('{src}', format = 'newline_delimited')) TO '{pq}'"
    )
    query = "SELECT ts, key_id, source_ip, country, outcome, source FROM events ORDER BY source"
    seen = {}
    for paths, materialize, expected in [
        ([pq], None, "view"),
        ([pq], True, "table"),
        ([src], None, "table"),
        ([src, pq], None, "table"),
        ([src], False, "view"),
    ]:
        con = connect()
        load_events(con, paths, materialize=materialize)
        assert _staged_as(con) == expected, (paths, materialize)
        seen[(len(paths), paths[0].suffix, materialize)] = con.execute(query).fetchall()
    assert seen[(1, ".parquet", None)] == seen[(1, ".parquet", True)]
    assert [r[-1] for r in seen[(1, ".parquet", None)]] == [f"{pq}:{n}" for n in (1, 2, 3)]
    mixed = seen[(2, ".jsonl", None)]
    assert sorted(mixed) == sorted(seen[(1, ".jsonl", None)] + seen[(1, ".parquet", None)])


def test_naive_timestamps_need_a_zone(tmp_path: Path) -> None:
    """Timestamps without a zone are an input error unless a zone is assumed."""
    path = write(tmp_path / "n.jsonl", ['{"ts":"2026-07-01T12:00:00","key_id":"k","status":200}'])
    with pytest.raises(IngestError, match="--assume-tz"):
        load_events(connect(), [path])
    con = connect()
    load_events(con, [path], assume_tz="Europe/Berlin")
    (ts,) = con.execute("SELECT strftime(ts, '%Y-%m-%dT%H:%M') FROM events").fetchone()
    assert ts == "2026-07-01T10:00"


ZONES = {  # a file's times, as written: (its events' times in UTC with a zone assumed)
    "csv text": ("a.csv", "TEXT"),
    "parquet text": ("a.parquet", "VARCHAR"),
    "parquet timestamp": ("a.parquet", "TIMESTAMP"),
    "parquet timestamp_ns": ("a.parquet", "TIMESTAMP_NS"),
}


def _times_file(tmp_path: Path, form: str, times: list[str]) -> Path:
    """A house log of one key's events at ``times`` (each as written) in ``form``."""
    name, kind = ZONES[form]
    path = tmp_path / name
    if kind == "TEXT":
        path.write_text("ts,key_id,status\n" + "".join(f"{t},k1,200\n" for t in times))
        return path
    values = ", ".join(f"({n}, CAST('{t}' AS {kind}))" for n, t in enumerate(times))
    connect().execute(
        f"COPY (SELECT ts, 'k1' AS key_id, 200 AS status FROM (VALUES {values}) t(n, ts) "
        f"ORDER BY n) TO '{path}'"
    )
    return path


@pytest.mark.parametrize("form", ZONES)
def test_times_without_a_zone_are_read_in_the_assumed_zone(tmp_path: Path, form: str) -> None:
    """A time written without a zone is read in the --assume-tz zone, in every form: also in
    Parquet, read where it lies after the load has set the session back to UTC (such times
    were read as UTC). Text with a zone of its own keeps it."""
    naive = ["2026-07-01 12:00:00", "2026-07-01 12:00:01"]
    path = _times_file(tmp_path, form, naive)
    con = connect()
    report = load_events(con, [path], assume_tz="Europe/Berlin")
    found = [t for (t,) in con.execute("SELECT ts FROM events ORDER BY ts").fetchall()]
    assert [t.strftime("%H:%M:%S") for t in found] == ["10:00:00", "10:00:01"]  # CEST, UTC+2
    assert report.min_ts is not None and report.min_ts.hour == 10
    if ZONES[form][1] in ("TEXT", "VARCHAR"):
        mixed = _times_file(tmp_path, form, ["2026-07-01T12:00:00+05:00", naive[1]])
        con = connect()
        load_events(con, [mixed], assume_tz="Europe/Berlin")
        found = [t for (t,) in con.execute("SELECT ts FROM events ORDER BY ts").fetchall()]
        assert [t.strftime("%H:%M:%S") for t in found] == ["07:00:00", "10:00:01"]


@pytest.mark.parametrize("form", ["csv text", "parquet text"])
def test_a_later_time_without_a_zone_is_a_bad_record(tmp_path: Path, form: str) -> None:
    """The first record is checked for a zone (refused whole, with the way out); a later one
    without a zone is a bad record at its place, not a time read as UTC."""
    path = _times_file(tmp_path, form, ["2026-07-01 12:00:00", "2026-07-01T12:00:01Z"])
    with pytest.raises(IngestError, match="timestamp has no time zone; say which zone"):
        load_events(connect(), [path])
    path = _times_file(tmp_path, form, ["2026-07-01T12:00:00Z", "2026-07-01 12:00:01"])
    where = f"{path}:3" if form == "csv text" else f"{path}: record 2"
    with pytest.raises(IngestError) as err:
        load_events(connect(), [path])
    assert str(err.value) == f"{where}: ts: missing, or not a timestamp with a time zone"
    report = load_events(connect(), [path], skip_bad_records=True)
    assert (report.events, report.skipped) == (1, 1)


def test_a_text_time_is_zoned_exactly_when_its_zone_is_written() -> None:
    """The SQL that tells a text time with a zone (a quick suffix test, then the pattern) is
    right for every time DuckDB reads with a zone: one whose reading does not move when the
    session's zone does; the first-record check (``has_zone``) says the same."""
    dates = ["2026-07-01", "2026-07-01T", "2026-07-01 "]
    clocks = ["", "12", "12:00", "12:00:05", "12:00:05.25", "12:00:05.123456", "1:2"]
    zones = ["", "Z", "z", " Z", "UTC", " UTC", "+05", "-05", "+0530", "-0800", "+05:30"]
    zones += ["-08:00", " +05:30", "+5", "America/New_York", " Europe/Berlin"]
    values = [d + c + z + end for d in dates for c in clocks for z in zones for end in ("", " ")]
    values += ["07-01 12:00", "12:00:05", "now", "", "-05", "2026-07-01-05"]
    con = connect()
    read = "TRY_CAST(v AS TIMESTAMPTZ)"
    con.execute(f"CREATE TABLE t AS SELECT v, {read} AS utc FROM unnest(?) t(v)", [values])
    con.execute("SET TimeZone = 'Asia/Kathmandu'")  # +05:45: no written offset is that
    zoned = ZONED_SQL.format(c="v", ts="true", naive="false")
    found = con.execute(f"SELECT v, {zoned}, utc = {read} FROM t WHERE utc IS NOT NULL").fetchall()
    assert len(found) > 200
    assert [v for v, said, truth in found if said != truth] == []
    assert [v for v, _said, truth in found if has_zone(v) != truth] == []


def test_a_csv_header_naming_a_column_twice(tmp_path: Path) -> None:
    """Refused at its header, in words (DuckDB's were of a 'struct_pack' call)."""
    path = write(tmp_path / "a.csv", ["ts,key_id,key_id,status", "2026-07-01T00:00:00Z,k1,k2,200"])
    with pytest.raises(IngestError) as err:
        load_events(connect(), [path])
    assert str(err.value) == f"{path}:1: CSV header names 'key_id' twice"


def test_a_csv_status_that_is_not_a_number(tmp_path: Path) -> None:
    """Named at its line and field in words (it read 'malformed CSV row (cast)')."""
    path = write(tmp_path / "a.csv", ["ts,key_id,status", "2026-07-01T00:00:00Z,k1,OK"])
    with pytest.raises(IngestError) as err:
        load_events(connect(), [path])
    assert str(err.value) == (
        f"{path}:2: status: not a value of its column's type (a status is a number)"
    )


def test_not_materialized_view(tmp_path: Path) -> None:
    """materialize=False gives the same events as a view over the files."""
    con = connect()
    report = load_events(con, [write(tmp_path / "a.jsonl", LINES)], materialize=False)
    assert report.events == 3
    assert con.execute("SELECT count(*), count(country) FROM events").fetchone() == (3, 3)


def test_country_from_log_is_kept(tmp_path: Path) -> None:
    """A country given in the log is used as it is."""
    line = '{"ts":"2026-07-01T00:00:00Z","key_id":"k","ip":"8.8.8.8","country":"DE","status":200}'
    con = connect()
    load_events(con, [write(tmp_path / "c.jsonl", [line])])
    assert con.execute("SELECT country FROM events").fetchall() == [("DE",)]


def test_missing_path() -> None:
    """A path that does not exist is an input error naming it."""
    with pytest.raises(IngestError, match="nowhere.jsonl"):
        load_events(connect(), ["/nonexistent/nowhere.jsonl"])


def test_empty_country_is_derived(tmp_path: Path) -> None:
    """An empty country field counts as absent: the IP decides."""
    line = '{"ts":"2026-07-01T00:00:00Z","key_id":"k","ip":"10.9.9.9","country":"","status":200}'
    con = connect()
    load_events(con, [write(tmp_path / "c.jsonl", [line])])
    assert con.execute("SELECT country FROM events").fetchall() == [("private",)]


def test_sources_per_file_and_mixed_formats(tmp_path: Path) -> None:
    """Line numbers restart in every file, also when formats are mixed in one load."""
    first = write(tmp_path / "a.jsonl", LINES)
    second = write(tmp_path / "b.jsonl", LINES[:2])
    vault = data("logs/vault-audit/elastic-integrations-hashicorp_vault-test-audit.excerpt.log")
    con = connect()
    report = load_events(con, [first, vault, second])
    assert report.events == 9
    sources = sorted(r[0] for r in con.execute("SELECT source FROM events").fetchall())
    assert sources == sorted(
        [f"{first}:{n}" for n in (1, 2, 3)]
        + [f"{second}:{n}" for n in (1, 2)]
        + [f"{vault}:{n}" for n in (1, 3, 5, 7)]
    )


def test_csv_gzip(tmp_path: Path) -> None:
    """CSV may be gzip-compressed, whatever its name."""
    path = tmp_path / "access.log"
    path.write_bytes(gzip.compress(CSV.encode()))
    report = load_events(connect(), [path])
    assert report.events == 3 and report.formats == {str(path): "house/csv"}


def test_malformed_csv_row(tmp_path: Path) -> None:
    """A row with too many fields is named by its line; skipping keeps the others."""
    path = tmp_path / "a.csv"
    lines = CSV.splitlines()
    lines[2] += ",surplus"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(IngestError, match=r"a\.csv:3: malformed CSV row \(too many columns\)"):
        load_events(connect(), [path])
    report = load_events(connect(), [path], skip_bad_records=True)
    assert report.events == 2 and report.skipped == 1
    assert [str(b) for b in report.bad_records] == [
        f"{path}:3: malformed CSV row (too many columns)"
    ]


def test_rows_after_skipped_csv_rows_keep_their_lines(tmp_path: Path) -> None:
    """Rows after rows the CSV reader could not split keep their own lines, in ``source`` and
    in bad records, in each file (they had been shown one line early per skipped row before
    them)."""
    header, *rows = CSV.splitlines()
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("\n".join([header, rows[0], rows[1] + ",surplus", rows[2]]) + "\n")
    late = "yesterday" + rows[0][len("2026-07-01T00:00:00Z") :]  # a bad timestamp
    b_rows = [rows[0] + ",x", rows[1], rows[2] + ",y", rows[2] + ",z", rows[0], late]
    b.write_text("\n".join([header, *b_rows]) + "\n")
    con = connect()
    report = load_events(con, [a, b], skip_bad_records=True)
    assert [(Path(r.path).name, r.line) for r in report.bad_records] == [
        ("a.csv", 3),
        ("b.csv", 2),
        ("b.csv", 4),
        ("b.csv", 5),
        ("b.csv", 7),
    ]
    found = con.execute("SELECT source FROM events ORDER BY source").fetchall()
    assert [s for (s,) in found] == [f"{a}:2", f"{a}:4", f"{b}:3", f"{b}:6"]


NUL_CASES = {
    "csv with a raw NUL": ("a.csv", CSV.replace("curl/8\n2026", "cu\x00rl/8\n2026", 1), False, 2),
    "jsonl with an escaped NUL": ("a.jsonl", "\n".join(LINES).replace("k2", "k\\u00002"), False, 3),
    "gzip jsonl with an escaped NUL": (
        "a.jsonl",
        "\n".join(LINES).replace("/v1/a", "/v1\\u0000/a", 1),
        True,
        1,
    ),
}


@pytest.mark.parametrize("materialize", [None, False], ids=["copied", "in place"])
@pytest.mark.parametrize("details", [True, False], ids=["full", "thin"])
@pytest.mark.parametrize("name", NUL_CASES)
def test_nul_in_text_is_named_whatever_its_spelling(
    tmp_path: Path, name: str, details: bool, materialize: bool | None
) -> None:
    """A NUL reaches no table: raw in CSV, escaped in JSON, inside gzip (the byte pre-check
    must never let one through), also in a column a thin load would leave out (the action);
    files asked to be read in place are copied after all (only a copy can mark the record)."""
    file_name, text, gz, line = NUL_CASES[name]
    path = write(tmp_path / file_name, [text], gz=gz)
    with pytest.raises(IngestError, match=r"contains a NUL character") as err:
        load_events(connect(), [path], details=details, materialize=materialize)
    assert err.value.line == line
    con = connect()
    report = load_events(
        con, [path], skip_bad_records=True, details=details, materialize=materialize
    )
    assert (report.events, report.skipped) == (2, 1)
    assert _staged_as(con) == "table"


@pytest.mark.parametrize("materialize", [None, True], ids=["in place", "copied"])
def test_nul_in_parquet_is_refused_in_place_as_when_copied(
    tmp_path: Path, materialize: bool | None
) -> None:
    """Parquet is queried where it is, but a value with a NUL must be marked: such a file is
    copied after all, and the record refused with its number, or skipped and counted."""
    path = tmp_path / "nul.parquet"
    connect().execute(
        f"""COPY (SELECT * FROM (VALUES
              (TIMESTAMPTZ '2026-09-01 00:00:00+00', 'k1', 'curl', 200),
              (TIMESTAMPTZ '2026-09-01 00:00:01+00', 'k1', 'cu' || chr(0) || 'rl', 200),
              (TIMESTAMPTZ '2026-09-01 00:00:02+00', 'k' || chr(0) || '2', 'curl', 401))
              t(ts, key_id, user_agent, status)) TO '{path}'"""
    )
    with pytest.raises(IngestError, match=r"\(and 1 more bad records\)") as err:
        load_events(connect(), [path], materialize=materialize)
    assert str(err.value).startswith(f"{path}: record 2: user_agent: contains a NUL character")
    con = connect()
    report = load_events(con, [path], skip_bad_records=True, materialize=materialize)
    assert (report.events, report.skipped) == (1, 2)
    assert con.execute("SELECT key_id, source FROM events").fetchall() == [("k1", f"{path}:1")]
    assert _staged_as(con) == "table"


@pytest.mark.parametrize("materialize", [None, False], ids=["copied", "in place"])
def test_a_malformed_csv_row_is_refused_without_its_text(
    tmp_path: Path, materialize: bool | None
) -> None:
    """A row with a field too many is named by file and line when the file is read in place
    too (it is read once at the load, as a copy is), and DuckDB's message, which quotes the
    row, is not passed on; skipped, it is counted."""
    canary = "CANARY-SECRET-7f3a"
    text = CSV.replace("401,curl/8", f"401,curl/8,{canary}", 1)
    path = write(tmp_path / "a.csv", [text.rstrip("\n")])
    with pytest.raises(IngestError) as err:
        load_events(connect(), [path], materialize=materialize)
    assert str(err.value) == f"{path}:3: malformed CSV row (too many columns)"
    assert canary not in repr(err.value.__context__) + repr(err.value.__cause__)
    con = connect()
    report = load_events(con, [path], skip_bad_records=True, materialize=materialize)
    assert (report.events, report.skipped) == (2, 1)
    assert _staged_as(con) == ("table" if materialize is None else "view")


def test_thin_load_leaves_out_only_the_detail_columns(tmp_path: Path) -> None:
    """Without details, what detections and traces read is there; actions, agents, error codes
    and texts are not, and asking for them fails."""
    path = write(tmp_path / "a.jsonl", LINES)
    full, thin = connect(), connect()
    load_events(full, [path])
    load_events(thin, [path], details=False)
    kept = "ts, key_id, principal, source_ip, country, outcome, source, request_id"
    query = f"SELECT {kept} FROM events ORDER BY source"
    assert thin.execute(query).fetchall() == full.execute(query).fetchall()
    assert full.execute("SELECT count(action) FROM events").fetchone() == (3,)
    left_out = {"user_agent", "action", "error_code", "session_issuer", "mfa_used", "error_message"}
    columns = [r[0] for r in thin.execute("DESCRIBE events").fetchall()]
    assert columns == [c for c, _t in EVENT_COLUMNS if c not in left_out]
    with pytest.raises(duckdb.BinderException, match="action"):
        thin.execute("SELECT action FROM events")  # an error, never a column of NULLs


def test_backslash_without_nul_loads(tmp_path: Path) -> None:
    """Escaped quotes and backslashes cannot spell NUL: the byte pre-check is sure, and the
    thin load keeps its columns out; an escaped backslash before ``u0000`` makes it unsure,
    so the thin copy is made again with every column, whose values then decide."""
    text = "\n".join(LINES).replace("/v1/b", '/v1/\\"b\\\\')
    path = write(tmp_path / "a.jsonl", [text])
    assert not may_hold_nul(str(path))
    con = connect()
    assert load_events(con, [path]).events == 3
    assert con.execute("SELECT action FROM events WHERE key_id = 'k2'").fetchone() == ('/v1/"b\\',)
    unsure = write(tmp_path / "b.jsonl", ["\n".join(LINES).replace("/v1/b", "/v1/\\\\u0000")])
    assert may_hold_nul(str(unsure))
    thin = connect()
    assert load_events(thin, [unsure], details=False).events == 3
    found = thin.execute("SELECT action FROM events WHERE key_id = 'k2'").fetchone()
    assert found == ("/v1/\\u0000",)  # read in full: the action is there, and no NUL


FIRST_PIECE = SCAN_BYTES + len(NUL_ESCAPE) - 1  # bytes may_hold_nul reads first


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"plain text\n" * 1000, False),
        (b'escaped \\" and \\\\ and \\n\n' * 1000, False),
        (b"x" * (5 << 20) + b"\\u0000", True),
        (b"a\x00b", True),
        *[(b"x" * (FIRST_PIECE - n) + b"\\u0000", True) for n in range(1, 6)],
        (b"x" * ((4 << 20) - 3) + b"\\u000 0", False),
    ],
)
def test_may_hold_nul(tmp_path: Path, content: bytes, expected: bool) -> None:
    """NUL bytes and the ``\\u0000`` escape are found anywhere: past the first read piece, and
    across two pieces (the first piece ends 1 to 5 bytes into the escape); other escapes are
    not."""
    path = tmp_path / "f"
    path.write_bytes(content)
    assert may_hold_nul(str(path)) is expected


def test_a_stopped_byte_scan_answers_unsure_at_once(tmp_path: Path) -> None:
    """A failed load stops the scan beside it: stopped, it reads no further and says unsure."""
    path = tmp_path / "f"
    path.write_bytes(b"plain text\n" * 1000)
    stop = threading.Event()
    assert may_hold_nul(str(path), stop) is False
    stop.set()
    assert may_hold_nul(str(path), stop) is True


@pytest.mark.parametrize("materialize", [None, True], ids=["in place", "copied"])
def test_bad_parquet_rows_are_named_in_place_as_when_copied(
    tmp_path: Path, materialize: bool | None
) -> None:
    """A row without a time and one with an unknown status: refused with the first row's number,
    or skipped and counted; the time span is that of the good rows."""
    path = tmp_path / "bad.parquet"
    connect().execute(
        f"""COPY (SELECT * FROM (VALUES
              (TIMESTAMPTZ '2026-09-01 00:00:00+00', 'k1', 200),
              (NULL, 'k1', 200),
              (TIMESTAMPTZ '2026-09-03 00:00:00+00', 'k1', 999),
              (TIMESTAMPTZ '2026-09-02 00:00:00+00', 'k2', 401)) t(ts, key_id, status))
            TO '{path}'"""
    )
    with pytest.raises(IngestError, match=r"\(and 1 more bad records\)") as err:
        load_events(connect(), [path], materialize=materialize)
    assert (err.value.record, err.value.line, err.value.field) == (2, None, "ts")
    assert str(err.value).startswith(f"{path}: record 2: ts: ")  # a row, not a line
    con = connect()
    report = load_events(con, [path], materialize=materialize, skip_bad_records=True)
    assert (report.events, report.skipped) == (2, 2)
    assert (report.min_ts.day, report.max_ts.day) == (1, 2)  # type: ignore[union-attr]
    assert _staged_as(con) == ("view" if materialize is None else "table")


def test_a_parquet_row_with_an_unknown_status_alone_is_refused_in_place(tmp_path: Path) -> None:
    """Every row has a time: only the outcomes tell the bad row (the times come from metadata)."""
    path = tmp_path / "status.parquet"
    connect().execute(
        f"""COPY (SELECT * FROM (VALUES (TIMESTAMPTZ '2026-09-01 00:00:00+00', 'k1', 200),
              (TIMESTAMPTZ '2026-09-02 00:00:00+00', 'k1', 999)) t(ts, key_id, status))
            TO '{path}'"""
    )
    with pytest.raises(IngestError) as err:
        load_events(connect(), [path])
    assert (err.value.record, err.value.field) == (2, "outcome")


def test_a_thin_copy_made_again_counts_malformed_rows_once(tmp_path: Path) -> None:
    """A CSV with a raw NUL is copied again in full after the thin copy: the rows DuckDB's
    reader rejected (listed by both reads) are still counted once, beside the NUL row."""
    path = tmp_path / "a.csv"
    path.write_bytes(
        b"ts,key_id,source_ip,action,status\n"
        b"2026-07-01T00:00:00Z,k1,192.0.2.1,/a\x00b,200\n"
        b"2026-07-01T00:00:01Z,k1,192.0.2.1,/a,200,extra,x\n"
        b"2026-07-01T00:00:02Z,k2,192.0.2.1,/c,200\n"
    )
    for details in (False, True):
        report = load_events(connect(), [path], skip_bad_records=True, details=details)
        assert (report.events, report.skipped) == (1, 2)
        assert sorted(str(b).split(": ", 1)[0] for b in report.bad_records) == [
            f"{path}:2",
            f"{path}:3",
        ]
