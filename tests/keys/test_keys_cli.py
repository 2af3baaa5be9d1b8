"""``keyvigil keys``: generate, rotate, due, revoke and schedule through the real CLI."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.test_canary import canary_hits, database_text
from toolkit.cli import cli

T0 = "2026-10-01T12:00:00Z"
GEN = ["keys", "generate", "--name", "payments-api", "--owner", "payments", "--environment",
       "prod", "--scopes", "payments:read,payments:write"]  # fmt: skip


def kv(db: str, *args: str) -> Result:
    """Run keyvigil against ``db`` as actor 'tester'."""
    return CliRunner().invoke(cli, [*args, "--db", db, "--actor", "tester"])


def generate(db: str, out: Path, *extra: str, as_of: str = T0) -> dict[str, str]:
    """Generate a key into ``out``; its --json record."""
    result = kv(
        db, *GEN, "--expires-in", "90d", "--out", str(out), "--json", "--as-of", as_of, *extra
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def audit_findings(db: str, out: Path, as_of: str) -> list[tuple[str, str]]:
    """(rule, subject) of every finding of an inventory-only audit at ``as_of``."""
    result = kv(db, "audit", "run", "--as-of", as_of, "--format", "json", "--out", str(out))
    assert result.exit_code == 0, result.output
    (doc,) = out.glob("run-*.json")
    return [(f["rule_id"], f["subject"]) for f in json.loads(doc.read_text())["findings"]]


def test_generated_value_is_256_bits_and_only_in_the_out_file(db_url: str, tmp_path: Path) -> None:
    """Canary: values read back from --out (generate, rotate) are nowhere else: database,
    trail, output, other files."""
    out = tmp_path / "secret" / "payments.key"
    out.parent.mkdir()
    result = kv(db_url, *GEN, "--expires-in", "90d", "--out", str(out), "--as-of", T0)
    assert result.exit_code == 0, result.output
    value = out.read_text().strip()
    assert len(base64.urlsafe_b64decode(value + "=")) == 32  # 256 bits
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    texts = [result.stdout, result.stderr]
    for args in (["inventory", "list", "--json"], ["trail", "show", "--json"],
                 ["keys", "schedule", "--json"], ["inventory", "list"]):  # fmt: skip
        shown = kv(db_url, *args, "--as-of", T0)
        assert shown.exit_code == 0, shown.output
        texts += [shown.stdout, shown.stderr]
    key_id = json.loads(kv(db_url, "inventory", "list", "--json").stdout)[0]["key_id"]
    rotated_out = tmp_path / "secret" / "rotated.key"
    rotated = kv(db_url, "keys", "rotate", key_id, "--out", str(rotated_out), "--as-of", T0)
    assert rotated.exit_code == 0, rotated.output
    second = rotated_out.read_text().strip()
    assert second != value and len(base64.urlsafe_b64decode(second + "=")) == 32
    texts += [rotated.stdout, rotated.stderr, kv(db_url, "trail", "show", "--json").stdout]
    dump = database_text(db_url)
    assert value not in dump and second not in dump
    others = [p for p in tmp_path.rglob("*") if p.is_file() and p not in (out, rotated_out)]
    assert canary_hits([value, second], texts=texts, paths=others) == []
    assert canary_hits([value], paths=[out]) == [str(out)]  # the scan does see it where it is


def test_generate_refuses_without_an_expiry(sqlite_url: str, tmp_path: Path) -> None:
    out = tmp_path / "k.key"
    result = kv(sqlite_url, *GEN, "--out", str(out))
    assert result.exit_code == 2
    assert result.output.startswith("Error: --expires-in: required")
    assert not out.exists()
    assert "key.generated" not in database_text(sqlite_url)


def test_no_expiry_needs_a_reason_and_keeps_it(sqlite_url: str, tmp_path: Path) -> None:
    out = tmp_path / "k.key"
    result = kv(sqlite_url, *GEN, "--no-expiry", "--out", str(out))
    assert result.exit_code == 2 and "--no-expiry: needs --reason" in result.output
    result = kv(sqlite_url, *GEN, "--no-expiry", "--reason", "HSM-bound, rotated by the vendor",
                "--out", str(out), "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    key_id = json.loads(result.stdout)["key_id"]
    shown = json.loads(kv(sqlite_url, "inventory", "show", key_id, "--json").stdout)
    assert shown["expires_at"] is None
    assert shown["attributes"]["no_expiry_reason"] == "HSM-bound, rotated by the vendor"


def test_an_existing_out_file_is_never_overwritten(sqlite_url: str, tmp_path: Path) -> None:
    out = tmp_path / "k.key"
    out.write_text("keep me\n")
    result = kv(sqlite_url, *GEN, "--expires-in", "90d", "--out", str(out))
    assert result.exit_code == 2 and "already exists" in result.output
    assert out.read_text() == "keep me\n"
    assert "key.generated" not in database_text(sqlite_url)  # the transaction rolled back


def test_without_out_the_value_is_only_shown_on_a_terminal(sqlite_url: str) -> None:
    result = kv(sqlite_url, *GEN, "--expires-in", "90d")
    assert result.exit_code == 2 and "only on a terminal" in result.output
    assert "key.generated" not in database_text(sqlite_url)


def test_rotate_then_revoke_due_leaves_no_overlap_finding(db_url: str, tmp_path: Path) -> None:
    old = generate(db_url, tmp_path / "old.key")["key_id"]
    result = kv(db_url, "keys", "rotate", old, "--overlap", "24h", "--out",
                str(tmp_path / "new.key"), "--json", "--as-of", T0)  # fmt: skip
    assert result.exit_code == 0, result.output
    rotated = json.loads(result.stdout)
    assert rotated["replaces"] == old and rotated["revocation_due"] == "2026-10-02T12:00:00Z"
    assert json.loads(kv(db_url, "keys", "due", "--json", "--as-of", "2026-10-02T11:59:59Z")
                      .stdout) == []  # fmt: skip
    due = json.loads(kv(db_url, "keys", "due", "--json", "--as-of", "2026-10-02T12:00:00Z").stdout)
    assert [d["key_id"] for d in due] == [old]
    # left alone past the policy's 48 h, the audit flags the old key ...
    late = audit_findings(db_url, tmp_path / "a1", "2026-10-04T13:00:00Z")
    assert ("rotation-overlap-exceeded", old) in late
    # ... applying the due revocation clears it
    result = kv(db_url, "keys", "revoke", "--due", "--json", "--as-of", "2026-10-02T13:00:00Z")
    assert result.exit_code == 0 and [r["key_id"] for r in json.loads(result.stdout)] == [old]
    after = audit_findings(db_url, tmp_path / "a2", "2026-10-04T13:00:00Z")
    assert not [f for f in after if f[0] == "rotation-overlap-exceeded"]
    shown = json.loads(kv(db_url, "inventory", "show", old, "--json").stdout)
    assert shown["revoked_at"] == "2026-10-02T13:00:00Z"
    assert shown["revoked_reason"] == f"rotated: replaced by {rotated['key_id']}"
    new = json.loads(kv(db_url, "inventory", "show", rotated["key_id"], "--json").stdout)
    assert new["replaces"] == old
    assert json.loads(kv(db_url, "keys", "due", "--json", "--as-of", "2026-10-09").stdout) == []
    assert kv(db_url, "trail", "verify").exit_code == 0


def test_rotate_refuses_an_overlap_longer_than_the_policy(sqlite_url: str, tmp_path: Path) -> None:
    old = generate(sqlite_url, tmp_path / "old.key")["key_id"]
    result = kv(sqlite_url, "keys", "rotate", old, "--overlap", "72h", "--out",
                str(tmp_path / "new.key"))  # fmt: skip
    assert (
        result.exit_code == 2 and "longer than the policy's rotation_overlap_hours" in result.output
    )
    assert not (tmp_path / "new.key").exists()


def test_a_key_is_rotated_once_until_its_revocation(sqlite_url: str, tmp_path: Path) -> None:
    old = generate(sqlite_url, tmp_path / "old.key")["key_id"]
    args = ["keys", "rotate", old, "--as-of", T0, "--out"]
    assert kv(sqlite_url, *args, str(tmp_path / "n1.key")).exit_code == 0
    again = kv(sqlite_url, *args, str(tmp_path / "n2.key"))
    assert again.exit_code == 2 and "already rotated; its revocation is due" in again.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["keys", "revoke", "KEY"], "--reason: required"),
        (["keys", "revoke", "KEY", "--due"], "give KEY_ID --reason TEXT, or --due"),
        (["keys", "revoke"], "give KEY_ID --reason TEXT, or --due"),
        (["keys", "revoke", "nope", "--reason", "gone"], "key nope: not in the inventory"),
        (["keys", "rotate", "KEY", "--overlap", "soon"], "--overlap: 'soon' is not a span"),
    ],
)
def test_bad_requests_exit_2(
    sqlite_url: str, tmp_path: Path, args: list[str], message: str
) -> None:
    key_id = generate(sqlite_url, tmp_path / "k.key")["key_id"]
    result = kv(sqlite_url, *[key_id if a == "KEY" else a for a in args])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_revoke_with_reason_closes_a_scheduled_revocation(sqlite_url: str, tmp_path: Path) -> None:
    old = generate(sqlite_url, tmp_path / "old.key")["key_id"]
    assert kv(sqlite_url, "keys", "rotate", old, "--as-of", T0, "--out",
              str(tmp_path / "new.key")).exit_code == 0  # fmt: skip
    result = kv(sqlite_url, "keys", "revoke", old, "--reason", "leaked", "--as-of", T0)
    assert result.exit_code == 0, result.output
    assert json.loads(kv(sqlite_url, "keys", "due", "--json", "--as-of", "2027-01-01").stdout) == []
    again = kv(sqlite_url, "keys", "revoke", old, "--reason", "twice")
    assert again.exit_code == 2 and "already revoked" in again.output


def test_schedule_lists_overdue_keys_first(sqlite_url: str, tmp_path: Path) -> None:
    generate(sqlite_url, tmp_path / "a.key", as_of="2026-01-01")  # prod: due 2026-04-01
    generate(sqlite_url, tmp_path / "b.key", "--environment", "staging", as_of="2026-09-20")
    generate(sqlite_url, tmp_path / "c.key", as_of="2026-09-01")
    result = kv(sqlite_url, "keys", "schedule", "--json", "--as-of", "2026-10-01")
    rows = json.loads(result.stdout)
    assert [(r["environment"], r["next_rotation"], r["overdue_days"]) for r in rows] == [
        ("prod", "2026-04-01T00:00:00Z", 183),
        ("staging", "2026-10-20T00:00:00Z", None),
        ("prod", "2026-11-30T00:00:00Z", None),
    ]
    prod = json.loads(kv(sqlite_url, "keys", "schedule", "--environment", "prod", "--json",
                         "--as-of", "2026-10-01").stdout)  # fmt: skip
    assert [r["environment"] for r in prod] == ["prod", "prod"]
