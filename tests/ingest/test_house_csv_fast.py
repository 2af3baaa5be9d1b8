"""The house CSV column path and the SQLite bulk path give exactly what the slow paths give."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, insert, text

from tests.ingest.snapshot import snapshot
from toolkit.errors import IngestError
from toolkit.ingest.inventory import ReadOptions, house, upsert
from toolkit.ingest.inventory.importer import import_inventories
from toolkit.store import open_store
from toolkit.timeutil import resolve_zone

AT = datetime(2026, 10, 1, 12, tzinfo=UTC)
SECRET = "sk_live_" + "Q" * 24
HEX = "AB" * 32

CLEAN = {
    "all_columns": (
        "key_id,key,name,owner,scopes,created_at,expires_at,last_used_at,revoked,enabled\n"
        f"a-1,{SECRET},svc,team,read write,2026-01-01T00:00:00+00:00,2027-01-01T00:00:00Z,,false,\n"
        'a-2,deadbeef,  svc2 ,,"a,b",2026-01-01T02:00:00+02:00,,2026-03-01T00:00:00.123456789Z,'
        "TRUE,no\n"
    ),
    "crlf_and_blank_rows": (
        "key_id,owner,created_at\r\na-1,x,2026-01-01T00:00:00+00:00\r\n\r\n,,\r\n"
        "a-2,,2026-01-01 10:00:00+01:00\r\n"
    ),
    "empty_keys_keep_given_fingerprints": (
        f"key_id,key,fingerprint,entropy_bits\na-1,,{HEX},12.5\na-2,{SECRET},{HEX},\na-3,  ,,\n"
    ),
    "ids_derived_and_revoked_from_revoked_at": (
        "key,revoked_at,environment,provider\n"
        f"{SECRET},2026-02-01T00:00:00Z,,\nother-secret,,prod,acme\n"
    ),
    "short_and_naive_timestamps_with_a_zone": (
        "key_id,created_at,expires_at\na-1,2026-01-01,2026-01-01T00:00Z\n"
        "a-2,2026-01-01T05:00:00,2026-06-01T00:00:00\n"
    ),
    "header_only": "key_id,name\n",
    "other_line_breaks_inside_cells": "key_id,name\na-1,x\x0cy\x0b\na-2,p\u2028q\x85\n",
    "no_final_newline": "key_id,name\na-1,x",
    "multi_line_cell": 'key_id,purpose\na-1,"two\nlines"\na-2,plain\n',
    "cardholder_flag": "key_id,cardholderData\na-1,true\na-2,\na-3,no\na-4,YES\n",
}

BAD = {
    "first_error_by_line_not_column": (
        "key_id,created_at,revoked\na-1,2026-01-01T00:00:00Z,false\na-2,2026-01-01T00:00:00Z,maybe\n"
        "a-3,yesterday,false\n",
        "keys.csv:3: revoked:",
    ),
    "wrong_width": ("key_id,name\na-1,x\na-2,x,y\n", "keys.csv:3: row has 3 fields"),
    "bad_fingerprint": ("key_id,fingerprint\na-1,nothex\n", "keys.csv:2: fingerprint:"),
    "no_id_and_no_key": ("key_id,key,name\n,,x\n", "keys.csv:2: key_id:"),
    "over_long_field": ("key_id,name\na-1," + "x" * 140_000 + "\n", "keys.csv:2: line too long"),
    "naive_without_zone": (
        "key_id,created_at\na-1,2026-01-01T00:00:00\n",
        "keys.csv:2: created_at:",
    ),
    "bad_number": ("key_id,entropy_bits\na-1,lots\n", "keys.csv:2: entropy_bits:"),
    "bad_cardholder_flag": ("key_id,cardholder_data\na-1,maybe\n", "keys.csv:2: cardholder_data:"),
}


def read(path: Path, options: ReadOptions, *, fast: bool, monkeypatch: Any) -> list[dict]:
    """Records of a house CSV through the column path (when it accepts) or the row path only."""
    if not fast:
        monkeypatch.setattr(house, "fast_records", lambda *_args: None)
    try:
        return house.HouseReader().read(path, path.read_bytes(), options)
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize("case", sorted(CLEAN))
def test_column_path_equals_row_path(case: str, tmp_path: Path, monkeypatch: Any) -> None:
    """Same records, field for field and in the same order, with and without options."""
    path = tmp_path / "keys.csv"
    path.write_bytes(CLEAN[case].encode())
    for options in (
        ReadOptions(assume_tz=resolve_zone("Europe/Paris")),
        ReadOptions(environment="dev", provider="corp", assume_tz=resolve_zone("UTC")),
    ):
        slow = read(path, options, fast=False, monkeypatch=monkeypatch)
        fast = read(path, options, fast=True, monkeypatch=monkeypatch)
        assert fast == slow
        assert [list(r) for r in fast] == [list(r) for r in slow] or case == "all_columns"
        assert SECRET not in repr(fast)


def test_clean_files_take_the_column_path(tmp_path: Path) -> None:
    """The column path accepts a clean file and leaves a multi-line cell to the row path."""
    path = tmp_path / "keys.csv"
    for case, expected in (("all_columns", True), ("multi_line_cell", False)):
        text_ = CLEAN[case]
        header = [house.canonical(h) for h in text_.split("\n", 1)[0].split(",")]
        kinds = [house._KINDS.get(c) for c in header]
        found = house.fast_records(path, text_, header, kinds, ReadOptions())
        assert (found is not None) is expected, case


@pytest.mark.parametrize("case", sorted(BAD))
def test_errors_are_the_row_paths(case: str, tmp_path: Path, monkeypatch: Any) -> None:
    """A file the column path rejects fails with the row path's message (first bad line)."""
    content, where = BAD[case]
    path = tmp_path / "keys.csv"
    path.write_bytes(content.encode())
    messages = []
    for fast in (False, True):
        with pytest.raises(IngestError) as caught:
            read(path, ReadOptions(), fast=fast, monkeypatch=monkeypatch)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert where in messages[1]


def generated(path: Path, rows: int) -> Path:
    """A house CSV of ``rows`` keys with every timestamp column and some scopes."""
    lines = ["key_id,key,environment,scopes,created_at,expires_at,revoked_at,enabled,owner"]
    for n in range(rows):
        stamp = f"2026-0{1 + n % 9}-1{n % 10}T0{n % 10}:00:00.{n:06d}+00:00"
        revoked = "2026-09-01T00:00:00+02:00" if n % 7 == 0 else ""
        line = f"k-{n},secret-{n},env{n % 3},a b,{stamp},{stamp},{revoked},{n % 2},o'neil?"
        lines.append(line)
    path.write_text("\n".join(lines) + "\n")
    return path


def indexes(url: str) -> list[tuple]:
    """The SQLite schema's index entries, by name."""
    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY 1")
        ).all()
    engine.dispose()
    return [tuple(row) for row in found]


def raw_keys(url: str) -> list[str]:
    """The keys table as SQLite holds it: values as stored (1 is not 1.0), not as parsed."""
    with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as connection:
        rows = connection.execute("SELECT * FROM keys ORDER BY id").fetchall()
    return [repr(row).replace("'null'", "None") for row in rows]  # the ORM writes JSON null


def import_file(url: str, path: Path, **kwargs: Any) -> None:
    """Import one file at AT."""
    store = open_store(url)
    try:
        import_inventories(store, [path], ReadOptions(), "tester", AT, **kwargs)
    finally:
        store.engine.dispose()


def orm_insert(session: Any, records: list[dict], at: datetime) -> None:
    """Insert through SQLAlchemy's own statement and type conversions (the reference)."""
    session.execute(insert(upsert.TABLE), [dict(upsert._insert_values(r, at)) for r in records])


def test_sqlite_bulk_path_stores_the_same_rows(tmp_path: Path, monkeypatch: Any) -> None:
    """Driver-level, bulk (indexes built at the end) and ORM inserts leave identical databases."""
    path = generated(tmp_path / "keys.csv", 241)  # the last chunk: one row, all literals
    urls = [f"sqlite:///{tmp_path / name}" for name in ("plain.db", "bulk.db", "orm.db")]
    for url, bulk in zip(urls, (10**9, 50, 10**9), strict=True):
        monkeypatch.setattr(upsert, "CHUNK", 40)
        monkeypatch.setattr(upsert, "BULK", bulk)
        if url.endswith("orm.db"):
            monkeypatch.setattr(upsert, "_sqlite_insert", orm_insert)
        import_file(url, path)
        monkeypatch.undo()
    assert raw_keys(urls[0]) == raw_keys(urls[1]) == raw_keys(urls[2])
    assert snapshot(urls[0]) == snapshot(urls[1]) == snapshot(urls[2])
    assert indexes(urls[0]) == indexes(urls[1]) == indexes(urls[2])
    assert any(name == "ix_keys_fingerprint" for name, *_ in indexes(urls[1]))


def test_failed_bulk_import_keeps_the_indexes(tmp_path: Path, monkeypatch: Any) -> None:
    """An error after the indexes were dropped rolls back to the same rows and indexes."""
    url = f"sqlite:///{tmp_path / 'keys.db'}"
    import_file(url, generated(tmp_path / "first.csv", 20))
    before, schema = snapshot(url), indexes(url)
    monkeypatch.setattr(upsert, "CHUNK", 40)
    monkeypatch.setattr(upsert, "BULK", 50)

    def stop(done: int, _total: int) -> None:
        """Fail once a few chunks are in."""
        if done >= 120:
            raise IngestError(Path("x"), "stopped by the test")

    with pytest.raises(IngestError):
        import_file(url, generated(tmp_path / "second.csv", 240), progress=stop)
    assert snapshot(url) == before
    assert indexes(url) == schema
