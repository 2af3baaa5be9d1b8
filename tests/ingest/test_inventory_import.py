"""The import service on SQLite and PostgreSQL: upserts, re-imports, AWS id matching, trail."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import select

from tests.conftest import data
from tests.ingest.snapshot import snapshot
from toolkit.ingest.inventory import ReadOptions
from toolkit.ingest.inventory.importer import ImportSummary, import_inventories
from toolkit.store import open_store
from toolkit.store.tables import ImportRecord, Key, TrailEntry

AT = datetime(2026, 10, 1, 12, tzinfo=UTC)
REPORT = "inventory/cloudmapper-demo-iam-get-credential-report.json"
LAK = "inventory/aws-list-access-keys.json"


def run(url: str, *names: str | Path, env: str | None = None) -> ImportSummary:
    """Import fixtures (names under tests/data or paths) into the database at url."""
    paths = [n if isinstance(n, Path) else data(n) for n in names]
    store = open_store(url)
    try:
        return import_inventories(store, paths, ReadOptions(environment=env), "tester", AT)
    finally:
        store.engine.dispose()


def keys(url: str) -> dict[str, Key]:
    """Stored keys by key_id."""
    store = open_store(url)
    with store.session() as session:
        found = {k.key_id: k for k in session.exec(select(Key)).all()}
    store.engine.dispose()
    return found


def rows(url: str, model: type) -> list:
    """Every row of a table."""
    store = open_store(url)
    with store.session() as session:
        found = list(session.exec(select(model)).all())
    store.engine.dispose()
    return found


def test_reimporting_the_same_file_changes_nothing(db_url: str) -> None:
    """Same bytes again: nothing inserted or updated, no new import record or trail entry."""
    first = run(db_url, REPORT, "inventory/house.csv", env="prod")
    assert first.changed and first.files[0].inserted == 4
    before = snapshot(db_url)
    second = run(db_url, REPORT, "inventory/house.csv", env="prod")
    assert not second.changed
    assert all(f.already_imported and f.unchanged == f.rows for f in second.files)
    assert snapshot(db_url) == before


def test_newer_export_updates_the_keys_it_names(db_url: str, tmp_path: Path) -> None:
    """A changed row is updated, others stay; the import is recorded with its counts."""
    v1 = tmp_path / "keys.csv"
    v1.write_text(
        "id,name,owner,createdAt,expiresAt\n"
        "a,alpha,ops,2026-01-01T00:00:00Z,2027-01-01T00:00:00Z\n"
        "b,beta,ops,2026-01-01T00:00:00Z,\n",
        encoding="utf-8",
    )
    run(db_url, v1)
    v2 = tmp_path / "keys-v2.csv"
    v2.write_text(
        "id,name,createdAt,expiresAt\n"
        "a,alpha,2026-01-01T00:00:00Z,2026-12-01T00:00:00Z\n"
        "b,beta,2026-01-01T00:00:00Z,\n",
        encoding="utf-8",
    )
    summary = run(db_url, v2)
    (file,) = summary.files
    assert (file.inserted, file.updated, file.unchanged) == (0, 1, 1)
    stored = keys(db_url)
    assert stored["a"].expires_at == datetime(2026, 12, 1, tzinfo=UTC)
    assert stored["a"].owner == "ops", "a column the new file lacks keeps its stored value"
    imports = rows(db_url, ImportRecord)
    assert [(i.reader, i.row_count) for i in imports] == [("house", 2), ("house", 2)]
    trail = [e for e in rows(db_url, TrailEntry) if e.action == "inventory.import"]
    payload = json.loads(trail[-1].payload)
    assert payload["updated"] == 1 and payload["sha256"] == file.sha256
    assert payload["reader"] == "house" and payload["path"] == str(v2)


def _assert_matched(url: str) -> None:
    """The report's user keys carry their AKIA ids and the report's dates; no placeholders."""
    stored = keys(url)
    assert "arn:aws:iam::123456789012:user/user#access_key_1" not in stored
    assert "arn:aws:iam::123456789012:user/auditor_tmp#access_key_1" not in stored
    second = stored["AKIAEXAMPLEUSER00002"]
    assert second.principal == "arn:aws:iam::123456789012:user/user"
    assert second.account == "123456789012"
    assert second.last_used_at == datetime(2018, 5, 7, 15, 35, 54, tzinfo=UTC)
    assert second.attributes["slot"] == 2 and second.attributes["last_used_service"] == "s3"
    first = stored["AKIAEXAMPLEUSER00001"]
    assert first.attributes["slot"] == 1
    assert stored["AKIAEXAMPLEAUDITOR01"].attributes["slot"] == 1
    assert "arn:aws:iam::123456789012:root#access_key_1" in stored, "root has no listed key"
    assert stored["AKIAEXAMPLEDEPARTED1"].principal is None, "no report row: left unmatched"
    assert len([k for k in stored.values() if k.provider == "aws"]) == 5


def test_report_and_access_keys_in_one_command_are_matched(db_url: str) -> None:
    """Both files in one import: matched before anything is written."""
    summary = run(db_url, REPORT, LAK)
    assert sum(f.matched for f in summary.files) == 3
    _assert_matched(db_url)


def test_access_keys_imported_after_the_report_replace_its_placeholders(db_url: str) -> None:
    """Report first, list-access-keys later: placeholders are replaced, not duplicated."""
    run(db_url, REPORT, env="prod")
    assert "arn:aws:iam::123456789012:user/user#access_key_2" in keys(db_url)
    run(db_url, LAK)
    _assert_matched(db_url)
    assert keys(db_url)["AKIAEXAMPLEUSER00002"].environment == "prod"


def test_report_imported_after_the_access_keys_is_matched(db_url: str) -> None:
    """list-access-keys first, then the report; a re-import of either changes nothing."""
    run(db_url, LAK)
    run(db_url, REPORT)
    _assert_matched(db_url)
    before = snapshot(db_url)
    assert not run(db_url, REPORT).changed
    assert not run(db_url, LAK).changed
    assert snapshot(db_url) == before


def test_one_command_is_one_transaction(db_url: str, tmp_path: Path) -> None:
    """A bad second file leaves the first file's keys unwritten."""
    bad = tmp_path / "bad.json"
    bad.write_text('[{"id": "x", "createdAt": "yesterday"}]', encoding="utf-8")
    run(db_url, REPORT)
    before = snapshot(db_url)
    good = tmp_path / "good.csv"
    shutil.copy(data("inventory/house.csv"), good)
    try:
        run(db_url, good, bad)
    except Exception as exc:  # noqa: BLE001 - the type is checked below
        assert "bad.json: record 1: created_at: not a timestamp" in str(exc)
    else:
        raise AssertionError("the bad file was accepted")
    assert snapshot(db_url) == before


def test_sqlite_fast_path_stores_what_the_orm_reads_back(sqlite_url: str) -> None:
    """The driver-level bulk insert writes datetimes and JSON exactly as the column types do."""
    run(sqlite_url, "inventory/house.csv", "inventory/azure-rest-secrets-exp-nbf.json")
    stored = keys(sqlite_url)
    pay = stored["pay-prod-1"]
    assert pay.created_at == datetime(2026, 7, 1, tzinfo=UTC)
    assert pay.scopes == ["payments:write", "payments:read"]
    vault = stored["https://kv-acme-prod.vault.azure.net/secrets/payments-api-key"]
    assert vault.attributes["tags"] == {"owner": "payments"}
    store = open_store(sqlite_url)
    with store.session() as session:
        due = session.exec(select(Key).where(Key.created_at >= datetime(2026, 7, 1, tzinfo=UTC)))
        assert "pay-prod-1" in {k.key_id for k in due}
    store.engine.dispose()


def test_cardholder_flag_is_stored_from_csv_and_json(db_url: str, tmp_path: Path) -> None:
    """cardholder_data (any spelling of yes/no, absent = no) reaches the store from CSV and JSON."""
    csv_path = tmp_path / "keys.csv"
    csv_path.write_text("key_id,cardholderData\npay-1,true\nweb-1,\n", encoding="utf-8")
    json_path = tmp_path / "more.json"
    json_path.write_text(
        json.dumps([{"keyId": "pay-2", "cardholder_data": True}, {"keyId": "web-2"}]),
        encoding="utf-8",
    )
    run(db_url, csv_path, json_path)
    stored = {k: v.cardholder_data for k, v in keys(db_url).items()}
    assert stored == {"pay-1": True, "web-1": False, "pay-2": True, "web-2": False}
