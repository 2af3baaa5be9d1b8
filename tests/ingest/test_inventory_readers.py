"""Each inventory reader on real samples and our own fixtures: detection and parsed fields."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import DATA, data
from toolkit.errors import IngestError, UsageError
from toolkit.ingest.inventory import (
    INVENTORY_READERS,
    ReadOptions,
    detect_reader,
    reader_named,
)
from toolkit.timeutil import resolve_zone

INV = DATA / "inventory"
EXPECTED_READER = {
    "cloudmapper-demo-iam-get-credential-report.json": "aws-credential-report",
    "aws-credential-report-base64.json": "aws-credential-report",
    "aws-credential-report-edge.csv": "aws-credential-report",
    "aws-list-access-keys.json": "aws-access-keys",
    "gcp-keys-gcloud.json": "gcp-sa-keys",
    "gcp-keys-rest.json": "gcp-sa-keys",
    "azure-cli-recording-secret-list-response.json": "azure-keyvault",
    "azure-cli-recording-secret-list-versions-response.json": "azure-keyvault",
    "azure-cli-recording-secret-set-attributes-disabled-response.json": "azure-keyvault",
    "azure-rest-api-specs-7.4-GetDeletedSecrets-example.json": "azure-keyvault",
    "azure-rest-api-specs-7.4-GetKeys-example.json": "azure-keyvault",
    "azure-rest-api-specs-7.4-GetSecret-example.json": "azure-keyvault",
    "azure-rest-api-specs-7.4-GetSecrets-example.json": "azure-keyvault",
    "azure-rest-secrets-exp-nbf.json": "azure-keyvault",
    "azure-cli-secret-list.json": "azure-keyvault",
    "azure-cli-deleted-secrets.json": "azure-keyvault",
    "house.csv": "house",
    "house.json": "house",
    "house-wrapped.json": "house",
    "house.jsonl": "house",
    "house.yaml": "house",
}


def t(text: str) -> datetime:
    """An aware UTC datetime from ISO text."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def read(name: str, **options: object) -> dict[str, dict]:
    """Records of a fixture by key_id, read by the sniffed reader."""
    path = data(f"inventory/{name}")
    content = path.read_bytes()
    reader = detect_reader(path, content)
    assert reader.name == EXPECTED_READER[name]
    return {r["key_id"]: r for r in reader.read(path, content, ReadOptions(**options))}


@pytest.mark.parametrize("name", sorted(EXPECTED_READER))
def test_every_fixture_is_detected_by_content(name: str) -> None:
    """Sniffing picks the right reader for each sample and fixture."""
    path = INV / name
    assert detect_reader(path, path.read_bytes()).name == EXPECTED_READER[name]


@pytest.mark.parametrize("name", sorted(INVENTORY_READERS))
def test_every_registered_reader_has_a_fixture_and_reads_it(name: str) -> None:
    """Each registry entry is documented, sniffable and has at least one fixture it reads."""
    reader = INVENTORY_READERS[name]
    assert reader.name == name and reader.description
    fixtures = [f for f, r in EXPECTED_READER.items() if r == name]
    assert fixtures, f"no fixture for reader {name}"
    for fixture in fixtures:
        path = INV / fixture
        assert reader.read(path, path.read_bytes(), ReadOptions()), fixture
    assert name in Path("docs/inventory.md").read_text(encoding="utf-8")


def test_unknown_format_name_lists_the_valid_ones() -> None:
    """--format with a wrong name names every reader."""
    with pytest.raises(UsageError) as caught:
        reader_named("excel")
    for name in INVENTORY_READERS:
        assert name in str(caught.value)


def test_credential_report_cloudmapper_sample() -> None:
    """Root row, a never-used key and a user with two keys, decoded Content."""
    keys = read("cloudmapper-demo-iam-get-credential-report.json", environment="prod")
    root = keys["arn:aws:iam::123456789012:root#access_key_1"]
    assert root["account"] == "123456789012" and root["principal"].endswith(":root")
    assert root["last_used_at"] == t("2018-11-27T00:02:00Z")
    assert root["attributes"]["last_used_service"] == "ecr"
    assert root["attributes"]["password_enabled"] == "not_supported"
    assert root["environment"] == "prod" and root["enabled"] is True
    never = keys["arn:aws:iam::123456789012:user/auditor_tmp#access_key_1"]
    assert never["last_used_at"] is None and never["created_at"] == t("2019-05-07T15:35:55Z")
    second = keys["arn:aws:iam::123456789012:user/user#access_key_2"]
    assert second["attributes"]["last_used_service"] == "s3"
    assert len(keys) == 4


def test_credential_report_base64_content_reads_the_same() -> None:
    """The API's base64 Content gives the same keys as the decoded one."""
    plain = read("cloudmapper-demo-iam-get-credential-report.json")
    encoded = read("aws-credential-report-base64.json")
    assert plain.keys() == encoded.keys()


def test_credential_report_edge_cases() -> None:
    """TRUE/FALSE, Z and +00:00, commas in user names, inactive and empty slots."""
    keys = read("aws-credential-report-edge.csv")
    assert sorted(keys) == [
        "arn:aws:iam::210987654321:user/a=b#access_key_2",
        "arn:aws:iam::210987654321:user/ci/ci_deploy#access_key_1",
        "arn:aws:iam::210987654321:user/ci/ci_deploy#access_key_2",
    ]
    ci1 = keys["arn:aws:iam::210987654321:user/ci/ci_deploy#access_key_1"]
    assert ci1["attributes"]["user"] == "ci,deploy" and ci1["enabled"] is True
    assert ci1["last_used_at"] == t("2025-01-28T17:15:00Z")
    ci2 = keys["arn:aws:iam::210987654321:user/ci/ci_deploy#access_key_2"]
    assert ci2["enabled"] is False and ci2["created_at"] == t("2024-06-01T12:00:00Z")
    assert ci2["attributes"]["last_used_state"] == "no_information"
    other = keys["arn:aws:iam::210987654321:user/a=b#access_key_2"]
    assert other["attributes"]["user"] == "a=b,c@d.e"
    assert other["attributes"]["password_last_used"] == "no_information"


def test_list_access_keys() -> None:
    """Real AKIA ids, Active/Inactive, CreateDate."""
    keys = read("aws-list-access-keys.json")
    assert keys["AKIAEXAMPLEDEPARTED1"]["enabled"] is False
    assert keys["AKIAEXAMPLEAUDITOR01"]["enabled"] is True
    assert keys["AKIAEXAMPLEUSER00001"]["created_at"] == t("2019-05-07T15:35:55Z")
    assert keys["AKIAEXAMPLEUSER00001"]["attributes"]["user"] == "user"


def test_gcp_gcloud_array() -> None:
    """Key id from the name, no-expiry sentinel, disabled flag, key type kept."""
    keys = read("gcp-keys-gcloud.json", environment="prod")
    live = keys["1f2e3d4c5b6a79880123456789abcdef01234567"]
    assert live["expires_at"] is None and live["enabled"] is True
    assert live["principal"] == "billing-sync@acme-prod.iam.gserviceaccount.com"
    assert live["account"] == "acme-prod" and live["key_type"] == "USER_MANAGED"
    exposed = keys["aa00bb11cc22dd33ee44ff5566778899aabbccdd"]
    assert exposed["enabled"] is False and exposed["expires_at"] == t("2026-11-20T08:00:00Z")
    assert exposed["attributes"]["disableReason"].endswith("_EXPOSED")
    assert keys["99887766554433221100ffeeddccbbaa99887766"]["key_type"] == "SYSTEM_MANAGED"


def test_gcp_rest_wrapper() -> None:
    """The REST response's keys list."""
    keys = read("gcp-keys-rest.json")
    assert list(keys) == ["0123456789abcdef0123456789abcdef01234567"]


def test_azure_rest_with_exp_and_nbf() -> None:
    """Unix-second exp/nbf, disabled secret, a key item."""
    keys = read("azure-rest-secrets-exp-nbf.json")
    pay = keys["https://kv-acme-prod.vault.azure.net/secrets/payments-api-key"]
    assert pay["expires_at"] == datetime.fromtimestamp(1798761600, UTC)
    assert pay["attributes"]["not_before"] == "2026-01-01T00:00:00Z"
    assert pay["account"] == "kv-acme-prod" and pay["key_type"] == "secret"
    assert keys["https://kv-acme-prod.vault.azure.net/secrets/old-webhook"]["enabled"] is False
    assert keys["https://kv-acme-prod.vault.azure.net/keys/signing-key"]["key_type"] == "key"


def test_azure_cli_printed_output() -> None:
    """ISO strings, nulls, expires/notBefore, deletedDate as revocation."""
    keys = read("azure-cli-secret-list.json")
    search = keys["https://kv-acme-staging.vault.azure.net/secrets/search-api-key"]
    assert search["expires_at"] == t("2026-10-05T00:00:00Z") and search["name"] == "search-api-key"
    db = keys["https://kv-acme-staging.vault.azure.net/secrets/db-password"]
    assert db["expires_at"] is None and db["attributes"]["not_before"] == "2025-06-02T00:00:00Z"
    gone = read("azure-cli-deleted-secrets.json")
    legacy = gone["https://kv-acme-staging.vault.azure.net/secrets/legacy-token"]
    assert legacy["revoked"] is True and legacy["revoked_at"] == t("2026-08-01T09:30:00Z")


def test_azure_versions_fold_into_one_key() -> None:
    """list-versions: one key, created at the oldest version, rotated at the newest."""
    keys = read("azure-cli-recording-secret-list-versions-response.json")
    (secret,) = keys.values()
    assert secret["created_at"] == datetime.fromtimestamp(1741668435, UTC)
    assert secret["last_rotated_at"] == datetime.fromtimestamp(1741668440, UTC)
    assert secret["attributes"]["version_count"] == 2


def test_azure_secret_bundle_value_becomes_a_fingerprint() -> None:
    """GetSecret carries the value: only its fingerprint and entropy survive."""
    (secret,) = read("azure-rest-api-specs-7.4-GetSecret-example.json").values()
    assert len(secret["fingerprint"]) == 64 and secret["entropy_bits"] > 0
    assert "mysecretvalue" not in repr(secret)


@pytest.mark.parametrize("name", ["house.csv", "house.json", "house.jsonl", "house.yaml"])
def test_house_containers_drop_the_key_value(name: str) -> None:
    """Every container: values become fingerprints; the value appears nowhere."""
    records = read(name)
    assert records
    for record in records.values():
        assert "key" not in record
        for value in ("sk_test_0f5b", "sk_test_old", "c2VjcmV0LXZhbHVl", "only-used-in-tests"):
            assert value not in repr(record)


def test_house_csv_fields() -> None:
    """camelCase columns, scopes string, revoked row, replaces, FALSE."""
    keys = read("house.csv", environment="staging")
    pay = keys["pay-prod-1"]
    assert pay["scopes"] == ["payments:write", "payments:read"] and pay["replaces"] == "pay-prod-0"
    assert pay["environment"] == "prod" and pay["entropy_bits"] >= 256
    old = keys["pay-prod-0"]
    assert old["revoked"] is True and old["revoked_reason"] == "rotated"
    assert keys["search-dev"]["scopes"] == ["*"] and keys["search-dev"]["owner"] is None
    assert keys["search-dev"]["entropy_bits"] < 256


def test_house_json_yaml_and_jsonl() -> None:
    """snake_case and camelCase, wrapped and bare, offsets converted to UTC."""
    assert read("house.json")["j-2"]["scopes"] == ["admin"]
    assert read("house-wrapped.json")["w-1"]["scopes"] == ["read", "write"]
    assert read("house.jsonl")["l-2"]["scopes"] == []
    yaml_keys = read("house.yaml")
    assert yaml_keys["y-2"]["created_at"] == t("2026-06-01T22:00:00Z")
    assert yaml_keys["y-1"]["expires_at"] == t("2026-12-01T00:00:00Z")


def test_house_key_id_derived_from_fingerprint(tmp_path: Path) -> None:
    """No id column: key_id is 'fp-' and the first 16 hex digits of the fingerprint."""
    path = tmp_path / "k.csv"
    path.write_text("key,name\nvalue-one,first\n", encoding="utf-8")
    (record,) = INVENTORY_READERS["house"].read(path, path.read_bytes(), ReadOptions())
    assert record["key_id"] == "fp-" + record["fingerprint"][:16]


def test_naive_timestamps_need_a_zone(tmp_path: Path) -> None:
    """A zone-less time fails without --assume-tz and is converted with it."""
    path = tmp_path / "k.csv"
    path.write_text("id,created_at\na,2026-01-01 09:00:00\n", encoding="utf-8")
    reader = INVENTORY_READERS["house"]
    with pytest.raises(IngestError, match=r"k.csv:2: created_at: timestamp has no time zone"):
        reader.read(path, path.read_bytes(), ReadOptions())
    zone = resolve_zone("Europe/Paris")
    (record,) = reader.read(path, path.read_bytes(), ReadOptions(assume_tz=zone))
    assert record["created_at"] == t("2026-01-01T08:00:00Z")
