"""``keyvigil inventory import | list | show`` through the real CLI on the real samples."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import DATA, data
from toolkit.cli import cli

INV = DATA / "inventory"
REAL_SAMPLES = [
    "cloudmapper-demo-iam-get-credential-report.json",
    "azure-cli-recording-secret-list-response.json",
    "azure-cli-recording-secret-list-versions-response.json",
    "azure-cli-recording-secret-set-attributes-disabled-response.json",
    "azure-rest-api-specs-7.4-GetDeletedSecrets-example.json",
    "azure-rest-api-specs-7.4-GetKeys-example.json",
    "azure-rest-api-specs-7.4-GetSecret-example.json",
    "azure-rest-api-specs-7.4-GetSecrets-example.json",
]


def invoke(runner: CliRunner, *args: str) -> object:
    """Run keyvigil with the test database; the fixed as-of keeps states deterministic."""
    return runner.invoke(cli, [*args, "--as-of", "2026-10-01T00:00:00Z"])


def listing(runner: CliRunner, *args: str) -> dict[str, dict]:
    """``inventory list --json`` by key_id."""
    result = invoke(runner, "inventory", "list", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return {k["key_id"]: k for k in json.loads(result.stdout)}


def test_real_samples_import_and_list(runner: CliRunner) -> None:
    """AWS and Azure samples: ids, environments, dates and states as the files say."""
    aws = invoke(runner, "inventory", "import", str(INV / REAL_SAMPLES[0]), "--environment", "prod")
    assert aws.exit_code == 0, aws.stderr
    assert "aws-credential-report, 4 keys: 4 new" in aws.stdout
    azure = [str(INV / n) for n in REAL_SAMPLES[1:]]
    result = invoke(runner, "inventory", "import", *azure, "--environment", "staging")
    assert result.exit_code == 0, result.stderr
    keys = listing(runner)
    assert len(keys) == 4 + 6
    root = keys["arn:aws:iam::123456789012:root#access_key_1"]
    assert root["environment"] == "prod" and root["state"] == "active"
    assert root["created_at"] == "2018-11-23T16:01:14Z"
    assert root["last_used_at"] == "2018-11-27T00:02:00Z"
    secret1 = keys["https://cli-test-kv-se-000002.vault.azure.net/secrets/secret1"]
    assert secret1["state"] == "disabled", "the set-attributes response came last"
    assert secret1["environment"] == "staging" and secret1["account"] == "cli-test-kv-se-000002"
    deleted = keys["https://myvault.vault.azure.net/secrets/listdeletedsecrettest0"]
    assert deleted["state"] == "revoked" and deleted["revoked_at"] == "2017-05-04T22:44:15Z"
    kv_key = keys["https://myvault.vault.azure.net/keys/sdktestkey"]
    assert kv_key["key_type"] == "key" and kv_key["created_at"] == "2017-05-04T22:40:56Z"
    assert keys["https://myvault.vault.azure.net/secrets/mysecretname"]["fingerprint_prefix"]
    assert "mysecretvalue" not in json.dumps(keys)


def test_reimport_says_nothing_changed(runner: CliRunner) -> None:
    """The same file twice: the second run says so and exits 0."""
    path = str(data("inventory/house.csv"))
    assert invoke(runner, "inventory", "import", path).exit_code == 0
    again = invoke(runner, "inventory", "import", path)
    assert again.exit_code == 0
    assert "already imported" in again.stdout and "nothing changed" in again.stderr


def test_import_json_summary(runner: CliRunner) -> None:
    """--json prints per-file counts for scripts."""
    result = invoke(
        runner, "inventory", "import", str(data("inventory/gcp-keys-gcloud.json")), "--json"
    )
    summary = json.loads(result.stdout)
    assert summary["changed"] is True
    (file,) = summary["files"]
    assert file["reader"] == "gcp-sa-keys" and file["inserted"] == 3 and len(file["sha256"]) == 64


def test_list_filters_and_csv(runner: CliRunner) -> None:
    """--environment and --provider filter; --csv has a header and one row per key."""
    invoke(
        runner,
        "inventory",
        "import",
        str(INV / "house.csv"),
        str(INV / "gcp-keys-rest.json"),
        "--environment",
        "dev",
    )
    assert set(listing(runner, "--provider", "gcp")) == {"0123456789abcdef0123456789abcdef01234567"}
    assert set(listing(runner, "--environment", "prod")) == {"pay-prod-1", "pay-prod-0"}
    result = invoke(runner, "inventory", "list", "--csv", "--environment", "dev")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["key_id"] for r in rows} == {"search-dev", "0123456789abcdef0123456789abcdef01234567"}
    table = invoke(runner, "inventory", "list")
    assert table.stdout.splitlines()[0].split()[:3] == ["PROVIDER", "KEY_ID", "ENVIRONMENT"]


def test_states_as_of(runner: CliRunner) -> None:
    """expired and revoked states follow --as-of."""
    invoke(runner, "inventory", "import", str(INV / "azure-rest-secrets-exp-nbf.json"))
    keys = listing(runner)
    assert keys["https://kv-acme-prod.vault.azure.net/secrets/old-webhook"]["state"] == "disabled"
    key = "https://kv-acme-prod.vault.azure.net/secrets/payments-api-key"
    assert keys[key]["state"] == "active"
    later = runner.invoke(cli, ["inventory", "list", "--json", "--as-of", "2027-01-01"])
    assert {k["key_id"]: k["state"] for k in json.loads(later.stdout)}[key] == "expired"


def test_show_and_ambiguous_ids(runner: CliRunner, tmp_path: Path) -> None:
    """show prints one key; an id held by two providers needs --provider."""
    both = tmp_path / "both.csv"
    both.write_text("id,provider,name\nshared-1,vault,a\nshared-1,github,b\n", encoding="utf-8")
    assert invoke(runner, "inventory", "import", str(both)).exit_code == 0
    ambiguous = invoke(runner, "inventory", "show", "shared-1")
    assert ambiguous.exit_code == 2
    assert "several providers (github, vault); use --provider" in ambiguous.stderr
    shown = invoke(runner, "inventory", "show", "shared-1", "--provider", "vault", "--json")
    assert json.loads(shown.stdout)["name"] == "a"
    text = invoke(runner, "inventory", "show", "shared-1", "--provider", "github")
    assert "name" in text.stdout and " b" in text.stdout
    missing = invoke(runner, "inventory", "show", "nope")
    assert missing.exit_code == 2 and "no key with id 'nope'" in missing.stderr


def test_quiet_when_piped(runner: CliRunner, tmp_path: Path) -> None:
    """No progress bar when stderr is not a terminal (CliRunner is not one)."""
    path = tmp_path / "many.csv"
    path.write_text("id\n" + "".join(f"k{n}\n" for n in range(25000)), encoding="utf-8")
    result = invoke(runner, "inventory", "import", str(path))
    assert result.exit_code == 0 and result.stderr == ""
