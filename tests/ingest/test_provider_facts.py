"""Provider facts kept typed for rules: GCP exposure, Azure KeyBundles, credential-report users."""

from __future__ import annotations

import hashlib
import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner
from sqlmodel import select

from tests.conftest import data
from toolkit import keyfacts
from toolkit.cli import cli
from toolkit.ingest.inventory import ReadOptions
from toolkit.ingest.inventory.importer import parse_inventory
from toolkit.store import open_store
from toolkit.store.tables import Key


def _stored(url: str, *files: Path) -> dict[str, Key]:
    """Import files through the CLI and return the stored keys by key id."""
    result = CliRunner().invoke(cli, ["inventory", "import", *map(str, files), "--db", url])
    assert result.exit_code == 0, result.stderr
    with open_store(url).session() as session:
        return {k.key_id: k for k in session.exec(select(Key)).all()}


def test_gcp_snake_case_and_exposure_are_read(sqlite_url: str) -> None:
    """snake_case fields read like camelCase; KEY_EXPOSED is a typed fact a rule can test."""
    keys = _stored(sqlite_url, data("inventory/gcp-keys-snake-exposed.json"))
    snake = keys["1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c"]
    assert snake.created_at == datetime(2026, 2, 1, 9, 30, tzinfo=UTC)
    assert snake.expires_at is None and snake.key_type == "USER_MANAGED" and not snake.enabled
    assert snake.attributes is not None and snake.attributes["keyAlgorithm"] == "KEY_ALG_RSA_2048"
    status = keyfacts.provider_status(snake.attributes)
    assert status is not None and status.exposed
    assert status.disable_reason == "SERVICE_ACCOUNT_KEY_DISABLE_REASON_EXPOSED"
    camel = keyfacts.provider_status(keys["9a8b7c6d5e4f30219a8b7c6d5e4f30219a8b7c6d"].attributes)
    assert camel is not None and camel.exposed and camel.disable_reason is None
    clean = keyfacts.provider_status(keys["00aa11bb22cc33dd44ee55ff6677889900aabbcc"].attributes)
    assert clean == keyfacts.ProviderStatus(None, ()) and not clean.exposed


def test_gcp_field_in_both_spellings_is_an_error(tmp_path: Path) -> None:
    """validAfterTime and valid_after_time together are ambiguous: an error naming the field."""
    path = tmp_path / "both.json"
    path.write_text(
        '[{"name": "projects/p/serviceAccounts/s@p.iam.gserviceaccount.com/keys/k1",'
        ' "validAfterTime": "2026-01-01T00:00:00Z", "valid_after_time": "2026-02-01T00:00:00Z",'
        ' "keyType": "USER_MANAGED"}]'
    )
    result = CliRunner().invoke(cli, ["inventory", "import", str(path), "--db", f"{tmp_path}/x.db"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {path}: record 1: valid_after_time: given twice (also as validAfterTime)\n"
    )


def test_azure_key_bundles_are_read(sqlite_url: str) -> None:
    """A REST GET-key KeyBundle and `az keyvault key show` output keep their id in key.kid."""
    keys = _stored(
        sqlite_url,
        data("inventory/azure-rest-keybundle.json"),
        data("inventory/azure-cli-key-show.json"),
    )
    rest = keys["https://myvault.vault.azure.net/keys/CreateSoftKeyTest"]
    assert rest.key_type == "key" and rest.account == "myvault" and rest.name == "CreateSoftKeyTest"
    assert rest.created_at == datetime.fromtimestamp(1493942451, UTC)
    assert rest.attributes is not None
    assert rest.attributes["version"] == "78deebed173b48e48f55abf87ed4cf71"
    cli_key = keys["https://kv-payments.vault.azure.net/keys/signing-key"]
    assert cli_key.expires_at == datetime(2026, 11, 3, 14, 5, 9, tzinfo=UTC)
    assert cli_key.fingerprint is None  # the public modulus is not a secret value


def test_credential_report_identity_is_typed(sqlite_url: str) -> None:
    """Root, MFA and console-password columns come back as typed AccountIdentity values."""
    keys = _stored(sqlite_url, data("inventory/aws-credential-report-identities.csv"))
    by_user = {}
    for key in keys.values():
        identity = keyfacts.account_identity(key.attributes)
        assert identity is not None
        by_user[identity.user] = identity
    root = by_user["<root_account>"]
    assert root.is_root and root.mfa_active is False and root.password_enabled is None
    alice = by_user["alice"]
    assert not alice.is_root and alice.password_enabled and alice.mfa_active is False
    assert alice.password_never_used and alice.password_last_used is None
    bob = by_user["bob"]
    assert bob.mfa_active and not bob.password_never_used
    assert bob.password_last_used == datetime(2026, 9, 1, 10, tzinfo=UTC)
    carol = by_user["carol"]  # no_information: unknown, not "never used"
    assert carol.password_enabled and not carol.password_never_used
    assert carol.password_last_used is None
    svc = by_user["svc-ci"]
    assert svc.password_enabled is False and not svc.password_never_used


def test_other_sources_carry_no_identity_or_status(sqlite_url: str) -> None:
    """A house key has neither fact: the accessors say None, not a default that looks known."""
    keys = _stored(sqlite_url, data("inventory/house.csv"))
    for key in keys.values():
        assert keyfacts.account_identity(key.attributes) is None
        assert keyfacts.provider_status(key.attributes) is None


def test_fingerprint_is_of_the_value_as_given(tmp_path: Path) -> None:
    """A PEM value ending in a newline hashes as sha256sum does on the same bytes."""
    pem = (
        "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n"
        "-----END PRIVATE KEY-----\n"
    )
    value_file = tmp_path / "key.pem"
    value_file.write_text(pem)
    tool = subprocess.run(["sha256sum", str(value_file)], capture_output=True, text=True)
    expected = tool.stdout.split()[0]
    assert expected == hashlib.sha256(pem.encode()).hexdigest()
    for name, text in {
        "inv.json": json.dumps([{"id": "pem-1", "key": pem}]),
        "inv.yaml": "- id: pem-1\n  key: |\n" + "".join(f"    {ln}\n" for ln in pem.splitlines()),
        "inv.csv": 'id,key\npem-1,"' + pem + '"\n',
    }.items():
        path = tmp_path / name
        path.write_text(text)
        (record,) = parse_inventory(path, ReadOptions()).records
        assert record["fingerprint"] == expected, name
    spaced = tmp_path / "spaced.csv"
    spaced.write_text("id,key\ns-1, abc \n")
    (record,) = parse_inventory(spaced, ReadOptions()).records
    assert record["fingerprint"] == hashlib.sha256(b" abc ").hexdigest()
