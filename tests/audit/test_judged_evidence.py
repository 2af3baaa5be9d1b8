"""Issue 9, rule side, end to end through the real CLI: rules judge only what the evidence shows.

Real-shaped inputs (tests/data/inventory: Google's snake_case key listing with KEY_EXPOSED, a
credential report with a root key and console users) and CloudTrail documents built here.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from tests.audit.fixture import write_fixture
from tests.conftest import data
from toolkit.cli import cli

AS_OF = "2026-10-01T00:00:00Z"
LOG_CONTROLS = {("pci-dss", "8.3.4"), ("pci-dss", "10.2.1"), ("hipaa", "164.312(b)")}


def invoke(runner: CliRunner, *args: str) -> Result:
    """Run keyvigil with these arguments."""
    return runner.invoke(cli, list(args), catch_exceptions=False)


def audit_json(runner: CliRunner, out: Path, *args: str) -> dict[str, Any]:
    """``audit run ... --format json`` and the result document it wrote."""
    result = invoke(runner, "audit", "run", "--as-of", AS_OF, "--out", str(out), *args)
    assert result.exit_code == 0, result.output
    (path,) = out.glob("*.json")
    return dict(json.loads(path.read_text(encoding="utf-8")))


def controls(doc: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(framework, control) -> status."""
    return {(f["id"], c["id"]): c["status"] for f in doc["frameworks"] for c in f["controls"]}


def rule(doc: dict[str, Any], rule_id: str) -> dict[str, Any]:
    """One rule's record."""
    return dict(next(r for r in doc["rules"] if r["id"] == rule_id))


def trail(records: list[dict[str, Any]], path: Path) -> Path:
    """A delivered CloudTrail file holding ``records``."""
    path.write_text(json.dumps({"Records": records}), encoding="utf-8")
    return path


def test_a_log_without_events_makes_no_log_control_hold(runner: CliRunner, tmp_path: Path) -> None:
    """Hostile 3: zero events is no evidence - log rules are not evaluated, controls not held."""
    write_fixture(tmp_path / "in")
    empty = trail([], tmp_path / "empty-trail.json")
    inventory = str(tmp_path / "in" / "keys.csv")
    doc = audit_json(runner, tmp_path / "out", "--inventory", inventory, "--logs", str(empty))
    status = controls(doc)
    assert {status[c] for c in LOG_CONTROLS} == {"not_evaluated"}
    burst = rule(doc, "failed-auth-burst")
    assert (burst["status"], burst["reason"]) == (
        "not_evaluated",
        "the access logs hold no events up to the as-of time",
    )
    with_events = audit_json(
        runner,
        tmp_path / "out2",
        "--inventory",
        inventory,
        "--logs",
        str(tmp_path / "in" / "access.jsonl"),
    )
    assert rule(with_events, "failed-auth-burst")["status"] == "evaluated"


def test_cloud_listings_are_judged_only_on_what_they_show(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Wrong results 1-3: no 'never used' for a GCP key, root key and MFA gaps, KEY_EXPOSED."""
    gcp, report = (
        data("inventory/gcp-keys-snake-exposed.json"),
        data("inventory/aws-credential-report-identities.csv"),
    )
    doc = audit_json(runner, tmp_path / "out", "--inventory", str(gcp), "--inventory", str(report))
    found = {(f["rule_id"], f["subject"]): f for f in doc["findings"]}
    quiet = "00aa11bb22cc33dd44ee55ff6677889900aabbcc"  # created 2026-04-01, no use in the listing
    assert ("unused", quiet) not in found
    unjudged = {u["subject"]: u["reason"] for u in rule(doc, "unused")["not_evaluated_for"]}
    assert unjudged[quiet] == "usage unknown: no access logs for this key"
    assert {u["reason"] for u in rule(doc, "broad-scope")["not_evaluated_for"]} == {
        "scopes not recorded by this source"
    }
    assert not [f for f in doc["findings"] if f["rule_id"] == "broad-scope"]
    exposed = {s for r, s in found if r == "provider-reported-exposed"}
    assert exposed == {
        "1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c",  # snake_case disable_reason, disabled
        "9a8b7c6d5e4f30219a8b7c6d5e4f30219a8b7c6d",  # extendedStatus only, still active
    }
    remedy = rule(doc, "provider-reported-exposed")["remediation"]
    assert "keyvigil incident open key-leakage --key KEY_ID" in remedy
    root = [f for f in doc["findings"] if f["rule_id"] == "root-access-key"]
    assert [(f["severity"], f["key"]["name"]) for f in root] == [
        ("critical", "<root_account> access key 1")
    ]
    no_mfa = {f["key"]["name"]: f["message"] for f in doc["findings"] if f["rule_id"] == "no-mfa"}
    assert no_mfa["<root_account> access key 1"] == "root account without MFA"
    assert no_mfa["alice access key 1"].endswith("without MFA; the password was never used")
    assert "bob access key 1" not in no_mfa  # bob has MFA
    for key in (("pci-dss", "8.2.6"), ("soc2", "CC6.2")):  # unused could not judge every key
        assert controls(doc)[key] != "holds"


def _denied(key: str, at: datetime, n: int, step: float, code: str) -> list[dict[str, Any]]:
    """``n`` denied CloudTrail calls by access key ``key``, ``step`` seconds apart."""
    arn = "arn:aws:iam::123456789012:user/ci"
    return [
        {
            "eventVersion": "1.08",
            "eventTime": (at + timedelta(seconds=i * step)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "eventSource": "ec2.amazonaws.com",
            "eventName": "DescribeInstances",
            "awsRegion": "us-east-1",
            "sourceIPAddress": "203.0.113.50",
            "userAgent": "aws-cli/2.15.0",
            "errorCode": code,
            "errorMessage": "You are not authorized to perform this operation.",
            "userIdentity": {"type": "IAMUser", "arn": arn, "accessKeyId": key},
            "eventID": f"{key}-{i}",
            "eventType": "AwsApiCall",
        }
        for i in range(n)
    ]


def test_denied_burst_pages_from_cloudtrail(runner: CliRunner, tmp_path: Path) -> None:
    """Wrong results 7: 21 AccessDenied in 20 s page (immediate, exit 1); 20 in 60 s do not."""
    at = datetime(2026, 9, 30, 12, 0, 40, tzinfo=UTC)
    probe = _denied("AKIAPROBE0000000001", at, 21, 1, "AccessDenied")
    limit = _denied("AKIALIMIT0000000002", at, 20, 3, "Client.UnauthorizedOperation")
    path = trail(probe + limit, tmp_path / "trail.json")
    args = ["alerts", "--logs", str(path), "--as-of", AS_OF, "--tier", "immediate", "--json"]
    result = invoke(runner, *args)
    assert result.exit_code == 1, result.output
    alerts = json.loads(result.stdout)["alerts"]["immediate"]
    bursts = [a for a in alerts if a["rule_id"] == "denied-burst"]
    assert [(a["subject"], a["evidence"]["max_in_window"]) for a in bursts] == [
        ("AKIAPROBE0000000001", 21)
    ]
    assert bursts[0]["evidence"]["threshold"] == 20


def test_list_access_keys_alone_say_nothing_of_use(runner: CliRunner, tmp_path: Path) -> None:
    """A key only ``list-access-keys`` knows has no last use: not judged, never 'never used'.

    Matched with its credential-report slot, the same kind of key is judged on the report's
    last-use date.
    """
    listing = json.loads(data("inventory/aws-list-access-keys.json").read_text(encoding="utf-8"))
    orphan = {"UserName": "ci", "AccessKeyId": "AKIAEXAMPLEORPHAN001", "Status": "Active"}
    listing["AccessKeyMetadata"].append({**orphan, "CreateDate": "2019-01-01T00:00:00Z"})
    lak = tmp_path / "list-access-keys.json"
    lak.write_text(json.dumps(listing), encoding="utf-8")
    report = data("inventory/cloudmapper-demo-iam-get-credential-report.json")
    doc = audit_json(runner, tmp_path / "out", "--inventory", str(report), "--inventory", str(lak))
    unused = {f["subject"]: f["message"] for f in doc["findings"] if f["rule_id"] == "unused"}
    unjudged = {u["subject"]: u["reason"] for u in rule(doc, "unused")["not_evaluated_for"]}
    assert "AKIAEXAMPLEORPHAN001" not in unused
    assert unjudged["AKIAEXAMPLEORPHAN001"] == "usage unknown: no access logs for this key"
    assert unused["AKIAEXAMPLEUSER00002"].startswith("last used ")  # the report's date
