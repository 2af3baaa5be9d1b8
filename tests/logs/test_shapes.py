"""Real-world shapes the readers must get right: printed records, Identity Center, KMIP, IPv6."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import iptocc
import pytest

import toolkit.store  # noqa: F401  (import order: models needs the store package first)
from tests.conftest import data
from toolkit.analytics.duck.analyse import analyse
from toolkit.analytics.duck.events import connect, load_events
from toolkit.errors import IngestError
from toolkit.models import KeyBase
from toolkit.rules.settings import DetectionSettings

BUILT = data("logs/built")
VAULT_SAMPLE = data("logs/vault-audit/elastic-integrations-hashicorp_vault-test-audit.excerpt.log")
CONSOLE = BUILT / "console-event-record.pretty.json"
ROLE = "arn:aws:iam::111122223333:role/ci-deploy-role"
IC_USER = "94482488-3041-7026-18f0-6589c2d5ec7b"


def rows(paths: list[Path], columns: str, **kw: object) -> list[tuple]:
    """Load files and return the chosen events columns, ordered by ts then source."""
    con = connect()
    load_events(con, paths, **kw)
    return con.execute(f"SELECT {columns} FROM events ORDER BY ts, source").fetchall()


def test_one_printed_cloudtrail_record_is_one_event() -> None:
    """A record as the console or `jq .` prints it (one object over many lines) is read."""
    report = load_events(connect(), [CONSOLE])
    assert report.events == 1 and report.formats[str(CONSOLE)] == "cloudtrail/document"
    (row,) = rows([CONSOLE], "key_id, key_kind, outcome, error_code, session_issuer, source")
    assert row == (
        "ASIAQXGTAZ6ZEXAMPLE7",
        "temporary",
        "denied",
        "Client.UnauthorizedOperation",
        ROLE,
        f"{CONSOLE}:1",
    )


def test_printed_records_one_after_another(tmp_path: Path) -> None:
    """`jq '.Records[]'` output (printed records back to back) is one event per record."""
    records = json.loads((BUILT / "identity-center-signin.json").read_text())["Records"]
    path = tmp_path / "jq.json"
    path.write_text("\n".join(json.dumps(r, indent=2) for r in records[:3]) + "\n")
    found = rows([path], "action, source")
    assert [r[1] for r in found] == [f"{path}:{n}" for n in (1, 2, 3)]


def test_one_printed_vault_entry_is_one_event() -> None:
    """A Vault audit entry printed over lines (as `jq .` shows it) is one event."""
    path = BUILT / "login-failure.pretty.json"
    report = load_events(connect(), [path])
    assert report.events == 1 and report.formats[str(path)] == "vault/document"
    assert rows([path], "action, outcome, error_code") == [
        ("update auth/userpass/login/ops-alice", "auth_failed", "invalid username or password")
    ]


def test_identity_center_sign_in_failures() -> None:
    """serviceEventDetails failures are auth failures of onBehalfOf.userId; MFAUsed is kept."""
    found = rows(
        [BUILT / "identity-center-signin.json"],
        "action, principal, outcome, error_code, mfa_used",
    )
    assert [r[2] for r in found] == [
        "success",
        "auth_failed",
        "auth_failed",
        "success",
        "success",
        "success",
    ]
    assert found[1] == (
        "signin:CredentialVerification",
        IC_USER,
        "auth_failed",
        "CredentialVerification Failure",
        None,
    )
    assert {r[1] for r in found[:5]} == {IC_USER}
    assert found[5][0] == "signin:ConsoleLogin" and found[5][4] is False


def test_error_message_and_mfa_are_event_columns() -> None:
    """errorMessage and sessionContext's mfaAuthenticated reach the events relation."""
    ((message, mfa),) = rows([CONSOLE], "error_message, mfa_used")
    assert message.startswith("You are not authorized to perform this operation.")
    assert mfa is False


def test_redacted_event_ids_are_distinct_events() -> None:
    """Three calls sharing a redacted eventID are three events; an exact repeat is ignored."""
    path = BUILT / "redacted-event-ids.json"
    report = load_events(connect(), [path])
    assert (report.events, report.ignored) == (3, 1)


def test_kmip_pairs_and_result_status() -> None:
    """12 KMIP entries are 6 requests; failed result statuses are failures, by reason."""
    path = BUILT / "kmip-enterprise.log"
    report = load_events(connect(), [path])
    assert report.events == 6
    found = rows([path], "source, action, outcome, error_code, source_ip")
    assert [r[0] for r in found] == [f"{path}:{n}" for n in (1, 3, 5, 7, 9, 11)]
    assert [r[1:4] for r in found] == [
        ("kmip Get", "success", None),
        ("kmip Get", "denied", "Permission Denied"),
        ("kmip Destroy", "error", "Item Not Found"),
        ("kmip Get", "success", None),
        ("kmip Get", "success", None),
        ("kmip Locate", "auth_failed", "Authentication Not Successful"),
    ]
    assert found[2][4] == "[2001:db8:4:2::10]:51706"


def test_request_and_response_without_id_are_one_event(tmp_path: Path) -> None:
    """A help request and its response (Vault logs no request.id for them) count once."""
    help_request = VAULT_SAMPLE.read_text().splitlines()[6]
    response = json.loads(help_request) | {"type": "response", "response": {"data": {}}}
    path = tmp_path / "help.log"
    path.write_text(help_request + "\n" + json.dumps(response) + "\n")
    assert load_events(connect(), [path]).events == 1


def test_bracketed_ipv6_with_port_gets_its_country(tmp_path: Path) -> None:
    """`[IPv6]:port` is parsed: the event gets the address's registry country."""
    address = "2a00:1450:4001:82a::200e"
    expected = iptocc.country_code(address)
    assert expected
    path = tmp_path / "api.jsonl"
    line = {"ts": "2026-09-01T10:00:00Z", "key_id": "k1", "status": 200}
    path.write_text(json.dumps(line | {"source_ip": f"[{address}]:443"}) + "\n")
    assert rows([path], "country") == [(expected,)]


def test_folder_with_a_fifo_and_a_dangling_link(tmp_path: Path) -> None:
    """Folder entries that are not files are named, and counted when skipping bad records."""
    folder = tmp_path / "audit"
    folder.mkdir()
    shutil.copy(VAULT_SAMPLE, folder / "vault.log")
    os.mkfifo(folder / "pipe.log")
    (folder / "gone.log").symlink_to(tmp_path / "rotated-away.log")
    with pytest.raises(IngestError, match=r"gone\.log: broken symbolic link"):
        load_events(connect(), [folder])
    report = load_events(connect(), [folder], skip_bad_records=True)
    assert (report.events, report.skipped) == (4, 2)
    reasons = {Path(b.path).name: b.reason for b in report.bad_records}
    assert reasons["pipe.log"].startswith("not a regular file but a named pipe (FIFO)")
    assert report.formats[str(folder / "pipe.log")] == "unreadable"


@pytest.mark.parametrize("name", ["audit*.log", "audit[1].log", "audit?.log", "a[*]?b.log"])
def test_file_names_with_glob_characters(tmp_path: Path, name: str) -> None:
    """A log whose name holds *, [ or ? is read as that file, not as a pattern."""
    path = tmp_path / name
    shutil.copy(VAULT_SAMPLE, path)
    (tmp_path / "audit1.log").write_text("not a log\n")  # what `audit[1].log` would match
    report = load_events(connect(), [path])
    assert report.events == 4 and report.formats == {str(path): "vault/jsonl"}


@pytest.mark.parametrize(
    ("logged", "later"),
    [
        ("[2a00:1450:4001:82a::200e]:443", "2a00:1450:4001:c01::64"),  # a country on both
        ("[2001:db8:1:2::5]:443", "2001:db8:1:2::99"),  # no country: the same /64 network
    ],
)
def test_new_location_compares_bracketed_addresses(tmp_path: Path, logged: str, later: str) -> None:
    """A key always used from one place is not 'new' because the log wrote `[addr]:port`."""
    start = datetime(2026, 8, 1, tzinfo=UTC)
    lines = [
        {"ts": (start + timedelta(days=d)).isoformat(), "key_id": "k1", "status": 200}
        | {"source_ip": logged}
        for d in range(40)
    ]
    lines.append(
        {"ts": "2026-09-30T10:00:00+00:00", "key_id": "k1", "status": 200} | {"source_ip": later}
    )
    path = tmp_path / "api.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    con = connect()
    load_events(con, [path])
    key = KeyBase(key_id="k1", environment="prod", created_at=start)
    result = analyse(con, [key], DetectionSettings(), datetime(2026, 10, 1, tzinfo=UTC))
    assert result.hits["new-location"] == ()


@pytest.mark.parametrize("reader", ["cloudtrail", "vault"])
def test_zone_less_times_are_read_in_the_assumed_zone(tmp_path: Path, reader: str) -> None:
    """A time without a zone is refused, and read in the --assume-tz zone when one is named."""
    if reader == "vault":
        entry = json.loads(VAULT_SAMPLE.read_text().splitlines()[0])
        entry["time"] = "2026-09-01T10:00:00.25"
    else:
        entry = json.loads(CONSOLE.read_text()) | {"eventTime": "2026-09-01T10:00:00"}
    path = tmp_path / "naive.log"
    path.write_text(json.dumps(entry) + "\n")
    with pytest.raises(IngestError, match="timestamp has no time zone; say which zone"):
        load_events(connect(), [path])
    ((ts,),) = rows([path], "ts", assume_tz="Europe/Berlin")
    assert ts.astimezone(UTC).replace(microsecond=0) == datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
