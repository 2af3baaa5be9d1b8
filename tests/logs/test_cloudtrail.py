"""CloudTrail in every envelope, from the real samples: counts, keys, principals, outcomes."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tests.conftest import data
from toolkit.analytics.duck.events import connect, load_events
from toolkit.errors import IngestError

CT = data("logs/cloudtrail")
GET_PASSWORD = "stratus-aws.credential-access.ec2-get-password-data.json"
FEDERATION = "stratus-aws.persistence.sts-federation-token.json"
ROLE = (
    "arn:aws:sts::457448411975:assumed-role/stratus-red-team-ec2-get-password-data-role/"
    "aws-go-sdk-1722375070115152000"
)
# file -> (events, {key_id: n}, {principal: n}, {outcome: n}), counted from the files themselves.
EXPECTED = {
    GET_PASSWORD: (
        34,
        {"ASIANQQHHS551LWULIWD": 30, "AKIAWOGXN38MFN92ING5": 4},
        {ROLE: 30, "arn:aws:iam::457448411975:user/christophe": 4},
        {"denied": 32, "success": 2},
    ),
    "stratus-aws.credential-access.secretsmanager-retrieve-secrets.json": (
        21,
        {"AKIA1JMTHE9ZMZMWG0MG": 21},
        {"arn:aws:iam::903144391865:user/christophe": 21},
        {"success": 21},
    ),
    "stratus-aws.initial-access.console-login-without-mfa.json": (
        1,
        {None: 1},
        {"arn:aws:iam::562283505220:user/stratus-red-team-nmfalu-jfzdtsvchl": 1},
        {"success": 1},
    ),
    "stratus-aws.persistence.iam-backdoor-user.json": (
        1,
        {"AKIA30BEZSJBVKOFKZW0": 1},
        {"arn:aws:iam::946986569305:user/christophe": 1},
        {"success": 1},
    ),
    "stratus-aws.persistence.iam-create-admin-user.json": (
        3,
        {"AKIAOZUDECYXYM4ONAN4": 3},
        {"arn:aws:iam::229654561268:user/christophe": 3},
        {"success": 3},
    ),
    "stratus-aws.persistence.iam-create-user-login-profile.json": (
        3,
        {"AKIAE18PGYHCY2CYMTFK": 3},
        {"arn:aws:iam::070411556318:user/christophe": 3},
        {"success": 2, "error": 1},
    ),
    FEDERATION: (
        2,
        {"AKIA6V1GNZTT65XQH36M": 1, "ASIASTJKC5GCM7ZE6LUP": 1},
        {
            "arn:aws:iam::742491224508:user/stratus-red-team-user-federation-user": 1,
            "arn:aws:sts::742491224508:federated-user/stratus_red_team": 1,
        },
        {"success": 2},
    ),
    "plaso-aws_cloudtrail-records.json": (  # 9 records, 2 of them Insights summaries
        7,
        {"EXAMPLE_KEY_ID": 7},
        {"arn:aws:iam::123456789012:user/Alice": 7},
        {"success": 6, "error": 1},
    ),
    "plaso-aws_cloudtrail-lookup-events.jsonl": (
        6,
        {"0123456789ABCDEFGHIJ": 5, None: 1},
        {"arn:aws:iam::012345678901:user/fakeusername": 5, "ec2.amazonaws.com": 1},
        {"success": 6},
    ),
}


def counts(con, column: str) -> dict:
    """{value: count} of one events column."""
    return dict(con.execute(f"SELECT {column}, count(*) FROM events GROUP BY ALL").fetchall())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_file(name: str) -> None:
    """Each real sample lands with the counts, keys, principals and outcomes it contains."""
    con = connect()
    report = load_events(con, [CT / name])
    events, keys, principals, outcomes = EXPECTED[name]
    assert report.events == events and report.skipped == 0
    assert counts(con, "key_id") == keys
    assert counts(con, "principal") == principals
    assert counts(con, "outcome") == outcomes


def test_directory_of_samples() -> None:
    """A directory is read whole (licences and notes skipped); Insights are counted, not events."""
    con = connect()
    report = load_events(con, [CT])
    assert report.events == sum(e[0] for e in EXPECTED.values()) == 78
    assert report.ignored == 2 and len(report.files) == 9
    assert set(report.formats.values()) == {"cloudtrail/document", "cloudtrail/lines"}


def test_access_key_kinds_and_actions() -> None:
    """AKIA (long-term) and ASIA (temporary) keys are kept apart; action is service:event."""
    con = connect()
    load_events(con, [CT / FEDERATION])
    rows = con.execute("SELECT key_id, key_kind, action FROM events ORDER BY ts").fetchall()
    assert rows == [
        ("AKIA6V1GNZTT65XQH36M", "long-term", "sts:GetFederationToken"),
        ("ASIASTJKC5GCM7ZE6LUP", "temporary", "sts:GetCallerIdentity"),
    ]


def test_anonymised_ips_are_kept_and_reported() -> None:
    """IPs such as 075.050.255.67 do not crash the reader: country NULL, counted, shown."""
    con = connect()
    report = load_events(con, [CT / "stratus-aws.persistence.iam-create-admin-user.json"])
    assert report.events == 3 and report.unparsed_ips == 3
    assert report.unparsed_ip_examples == ("075.050.255.67",)
    assert con.execute("SELECT DISTINCT source_ip, country FROM events").fetchall() == [
        ("075.050.255.67", None)
    ]


def test_service_names_are_not_addresses() -> None:
    """sourceIPAddress 'ec2.amazonaws.com' is a name: no country, counted apart from bad IPs."""
    con = connect()
    report = load_events(con, [CT / "plaso-aws_cloudtrail-lookup-events.jsonl"])
    assert report.non_ip_sources == 1 and report.unparsed_ips == 0


def test_sources_name_file_and_record() -> None:
    """source is file:record for documents and file:line for JSON lines."""
    con = connect()
    load_events(con, [CT / GET_PASSWORD, CT / "plaso-aws_cloudtrail-lookup-events.jsonl"])
    sources = {r[0] for r in con.execute("SELECT source FROM events").fetchall()}
    assert f"{CT / GET_PASSWORD}:34" in sources
    assert f"{CT / 'plaso-aws_cloudtrail-lookup-events.jsonl'}:6" in sources


def delivered(tmp_path: Path, names: list[str]) -> Path:
    """Write samples the way a trail delivers them: gzip {"Records": [...]} under AWSLogs/."""
    folder = tmp_path / "AWSLogs" / "123456789012" / "CloudTrail" / "us-east-1" / "2024" / "07"
    folder.mkdir(parents=True)
    for i, name in enumerate(names):
        records = json.loads((CT / name).read_text())
        body = json.dumps({"Records": records}).encode()
        (folder / f"123456789012_CloudTrail_us-east-1_{i}.json.gz").write_bytes(gzip.compress(body))
    digest = tmp_path / "AWSLogs" / "123456789012" / "CloudTrail-Digest"
    digest.mkdir()
    (digest / "x_CloudTrail-Digest_1.json.gz").write_bytes(gzip.compress(b'{"digestEndTime": 1}'))
    return tmp_path / "AWSLogs"


def test_gzip_records_in_a_directory_tree(tmp_path: Path) -> None:
    """Gzip {"Records": [...]} files many levels down are found; digest files are skipped."""
    root = delivered(tmp_path, [GET_PASSWORD, FEDERATION])
    con = connect()
    report = load_events(con, [root])
    assert report.events == 36 and len(report.files) == 2
    assert counts(con, "outcome") == {"denied": 32, "success": 4}


def test_glob(tmp_path: Path) -> None:
    """A glob names the files to read."""
    root = delivered(tmp_path, [GET_PASSWORD, FEDERATION])
    report = load_events(connect(), [f"{root}/**/*_0.json.gz"])
    assert report.events == 34


@pytest.mark.parametrize("materialize", [None, False], ids=["copied", "asked in place"])
def test_repeated_delivery_counted_once(tmp_path: Path, materialize: bool | None) -> None:
    """The same eventID delivered twice is one event; the copy is counted as ignored (a load
    asked to read the files in place copies them after all: only a copy can skip a record)."""
    copy = tmp_path / "copy.json"
    copy.write_text(json.dumps({"Records": json.loads((CT / FEDERATION).read_text())}))
    con = connect()
    report = load_events(con, [CT / FEDERATION, copy], materialize=materialize)
    assert report.events == 2 and report.ignored == 2
    assert con.execute("SELECT count(*) FROM events").fetchone() == (2,)


def test_lookup_events_wrapper(tmp_path: Path) -> None:
    """`aws cloudtrail lookup-events` output ({"Events": [...]}) reads like its JSON lines."""
    lines = (CT / "plaso-aws_cloudtrail-lookup-events.jsonl").read_text().splitlines()
    wrapped = tmp_path / "lookup.json"
    wrapped.write_text(json.dumps({"Events": [json.loads(x) for x in lines]}, indent=2))
    con = connect()
    report = load_events(con, [wrapped])
    assert report.events == 6 and report.formats[str(wrapped)] == "cloudtrail/document"
    assert counts(con, "key_id") == {"0123456789ABCDEFGHIJ": 5, None: 1}


def record(**fields: object) -> dict:
    """A minimal CloudTrail record."""
    base = {
        "eventVersion": "1.08",
        "eventTime": "2024-07-30T21:31:10Z",
        "eventSource": "sts.amazonaws.com",
        "eventName": "GetCallerIdentity",
        "sourceIPAddress": "8.8.8.8",
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::1:user/a", "accessKeyId": "AKIA1"},
    }
    return base | fields


@pytest.mark.parametrize(
    ("fields", "outcome"),
    [
        ({"errorCode": "InvalidClientTokenId"}, "auth_failed"),
        ({"errorCode": "SignatureDoesNotMatch"}, "auth_failed"),
        ({"errorCode": "Client.AuthFailure"}, "auth_failed"),
        ({"errorCode": "ExpiredToken"}, "auth_failed"),
        ({"errorCode": "UnrecognizedClientException"}, "auth_failed"),
        ({"errorCode": "InvalidAccessKeyId"}, "auth_failed"),
        (
            {
                "eventName": "ConsoleLogin",
                "errorMessage": "Failed authentication",
                "responseElements": {"ConsoleLogin": "Failure"},
            },
            "auth_failed",
        ),
        ({"eventName": "ConsoleLogin", "responseElements": {"ConsoleLogin": "Success"}}, "success"),
        ({"errorCode": "AccessDenied"}, "denied"),
        ({"errorCode": "AccessDeniedException"}, "denied"),
        ({"errorCode": "Client.UnauthorizedOperation"}, "denied"),
        ({"errorCode": "ThrottlingException"}, "error"),
        ({"errorCode": ""}, "success"),
    ],
)
def test_error_codes(tmp_path: Path, fields: dict, outcome: str) -> None:
    """errorCode (and ConsoleLogin failures) map onto outcomes."""
    path = tmp_path / "one.json"
    path.write_text(json.dumps([record(**fields)]))
    con = connect()
    load_events(con, [path])
    assert con.execute("SELECT outcome FROM events").fetchall() == [(outcome,)]


def test_record_without_time_names_the_record(tmp_path: Path) -> None:
    """A record that lacks eventTime is reported by file and record number."""
    path = tmp_path / "bare.json"
    broken = record()
    del broken["eventTime"]
    path.write_text(json.dumps([record(eventID="a"), broken, record(eventID="c")]))
    with pytest.raises(IngestError) as err:
        load_events(connect(), [path])
    assert (err.value.record, err.value.line, err.value.field) == (2, None, "eventTime")
    assert str(err.value).startswith(f"{path}: record 2: eventTime: ")
    report = load_events(connect(), [path], skip_bad_records=True)
    assert report.events == 2 and [b.line for b in report.bad_records] == [2]
    assert [b.unit for b in report.bad_records] == ["record"]


def test_malformed_lookup_line(tmp_path: Path) -> None:
    """A broken line in lookup-events JSON lines is named by its line number."""
    lines = (CT / "plaso-aws_cloudtrail-lookup-events.jsonl").read_text().splitlines()
    path = tmp_path / "lookup.jsonl"
    path.write_text("\n".join([lines[0], lines[1][:40], lines[2]]) + "\n")
    with pytest.raises(IngestError, match=r"lookup\.jsonl:2: .*not valid JSON"):
        load_events(connect(), [path])


def test_unparseable_document(tmp_path: Path) -> None:
    """A truncated Records file fails the load naming it; skipping reads the other files."""
    bad = tmp_path / "cut.json"
    bad.write_text('{"Records": [{"eventTime": "2024-07-30T21:31:10Z"},')
    with pytest.raises(IngestError, match="cut.json"):
        load_events(connect(), [bad, CT / FEDERATION])
    report = load_events(connect(), [bad, CT / FEDERATION], skip_bad_records=True)
    assert report.events == 2 and report.skipped == 1
    assert [b.path for b in report.bad_records] == [str(bad)]


def test_report_notes() -> None:
    """The load report says, in words, what it read but could not use fully."""
    report = load_events(connect(), [CT])
    notes = report.notes()
    assert notes[0].startswith("ignored 2 record(s) that are not access events")
    assert "075.050.255.67" in notes[1] and notes[1].startswith(f"{report.unparsed_ips} event(s)")
    assert notes[2].startswith("1 event(s) from a named source")


def test_document_too_large_for_memory_is_refused_with_what_to_do(tmp_path: Path) -> None:
    """A Records document is read whole (about 13 times its size in memory): one that would not
    fit under the engine's memory limit is refused before it is read, naming the file and the
    way out; a gzip one is judged by its trailer's size. Under the default limit (most of the
    machine's memory) both load, and so do the same records one per line."""
    records = json.loads((CT / GET_PASSWORD).read_text())
    many = [dict(r, eventID=f"copy-{n}") for n in range(30) for r in records]
    document = tmp_path / "big.json"
    document.write_text(json.dumps({"Records": many}))
    packed = tmp_path / "big.json.gz"
    packed.write_bytes(gzip.compress(document.read_bytes()))
    size_mb = document.stat().st_size / 1e6
    assert 1.5 < size_mb < 3  # 13 times that is more than the 16 MB limit below
    splits = {
        document: "(jq -c '.Records[]' FILE > FILE.jsonl)",
        packed: "(gunzip -c FILE | jq -c '.Records[]' > FILE.jsonl)",
    }
    for path, split in splits.items():
        with pytest.raises(IngestError) as refused:
            load_events(connect(memory_limit="16MB"), [path])
        message = str(refused.value)
        assert message.startswith(f"{path}: a CloudTrail document of {size_mb:.0f} MB")
        assert f"takes about {size_mb * 13:.0f} MB of memory, more than the log engine" in message
        assert message.endswith(split)
        assert load_events(connect(), [path]).events == 34 * 30
    lines = tmp_path / "big.jsonl"
    lines.write_text("".join(json.dumps(r) + "\n" for r in many))
    assert load_events(connect(), [lines]).events == 34 * 30


def test_only_a_document_read_whole_is_judged_by_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records printed one after another (``jq '.Records[]'``) or one per line are separate
    values, read as a stream: however much memory a whole document would need, they load; a
    bare array, a Records and an Events document are each one value, and are refused."""
    from toolkit.analytics.duck.readers import cloudtrail

    monkeypatch.setattr(cloudtrail, "DOCUMENT_MEMORY", 10**9)  # every document too large
    records = json.loads((CT / GET_PASSWORD).read_text())
    printed = tmp_path / "printed.json"
    printed.write_text("".join(json.dumps(r, indent=2) + "\n" for r in records))
    lines = tmp_path / "lines.jsonl"
    lines.write_text("".join(json.dumps(r) + "\n" for r in records))
    assert load_events(connect(), [printed, lines]).events == 34
    for name, value, path in [
        ("array", records, ".[]"),
        ("trail", {"Records": records}, ".Records[]"),
    ]:
        whole = tmp_path / f"{name}.json"
        whole.write_text(json.dumps(value, indent=2))
        with pytest.raises(IngestError, match="is read whole, which takes about") as refused:
            load_events(connect(), [whole])
        assert f"(jq -c '{path}' FILE > FILE.jsonl)" in str(refused.value)
    lookup = (CT / "plaso-aws_cloudtrail-lookup-events.jsonl").read_text().splitlines()
    events = tmp_path / "lookup.json"
    events.write_text(json.dumps({"Events": [json.loads(x) for x in lookup]}))
    with pytest.raises(IngestError, match=r"is read whole.*jq -c '\.Events\[\]'"):
        load_events(connect(), [events])
