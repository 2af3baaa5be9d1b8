"""Azure Key Vault secret and key listings: REST bodies (Unix seconds) and ``az`` CLI output."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from toolkit import keyfacts
from toolkit.ingest.inventory import parsing as p
from toolkit.ingest.inventory.interface import KeyRecord, ReadOptions
from toolkit.timeutil import isoformat

KINDS = {"secrets": "secret", "deletedsecrets": "secret", "keys": "key", "deletedkeys": "key"}
_KEEP_ATTRS = ("recoveryLevel", "recoverableDays", "exportable", "hsmPlatform")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_KEEP_ITEM = ("contentType", "managed", "tags", "recoveryId")


class AzureKeyVaultReader:
    """Key Vault secrets and keys; key id = the item URL without its version."""

    name = "azure-keyvault"
    description = "Azure Key Vault secret/key listings (REST or az CLI JSON)"

    def sniff(self, sample: bytes, path: Path) -> bool:
        """JSON with Key Vault item URLs and an ``attributes`` object."""
        head = sample.lstrip()
        return (
            head.startswith((b"[", b"{"))
            and b'"attributes"' in sample
            and (b".vault." in sample or b'"recoveryLevel"' in sample)
        )

    def read(self, path: Path, data: bytes, options: ReadOptions) -> list[KeyRecord]:
        """Every item; the versions of one secret fold into one key (newest wins)."""
        items = _items(path, p.load_json(path, p.decode_text(path, data)))
        records: dict[str, KeyRecord] = {}
        for number, item in enumerate(items, 1):
            record = _record(path, ("record", number), item, options)
            previous = records.get(record["key_id"])
            records[record["key_id"]] = (
                record if previous is None else _fold(path, previous, record)
            )
        return list(records.values())


def _items(path: Path, document: Any) -> list[dict[str, Any]]:
    """The items of a listing page, a bare array, a single item or a REST spec example."""
    if isinstance(document, dict) and isinstance(document.get("responses"), dict):
        ok = document["responses"].get("200", {})
        document = ok.get("body") if isinstance(ok, dict) else None
    if isinstance(document, dict) and isinstance(document.get("value"), list):
        document = document["value"]
    elif isinstance(document, dict):
        document = [document]
    return p.object_list(path, document, "Key Vault items")


def _split_url(path: Path, where: p.Where, url: Any) -> tuple[str, str, str, str, str | None]:
    """(key id without version, vault, kind, name, version) of a Key Vault item URL."""
    parts = urlsplit(str(url or ""))
    segments = [s for s in parts.path.split("/") if s]
    if parts.scheme != "https" or not parts.hostname or len(segments) not in (2, 3):
        raise p.fail(path, where, "not a Key Vault item URL", "id")
    collection = segments[0].lower()
    if collection not in KINDS:
        raise p.fail(path, where, "not a secrets or keys URL", "id")
    plain = collection.removeprefix("deleted")
    key_id = f"https://{parts.hostname}/{plain}/{segments[1]}"
    version = segments[2] if len(segments) == 3 else None
    return key_id, parts.hostname.split(".")[0], KINDS[collection], segments[1], version


def _item_url(item: dict[str, Any]) -> Any:
    """The item's URL: ``kid`` of a key item, ``id`` of a secret, or ``key.kid`` of a KeyBundle
    (REST GET key, a create-key response, ``az keyvault key show``)."""
    bundle_key = item.get("key")
    nested = bundle_key.get("kid") if isinstance(bundle_key, dict) else None
    return item.get("kid") or item.get("id") or nested


def _attr(attributes: dict[str, Any], *names: str) -> Any:
    """The first of several spellings present (REST ``exp`` vs CLI ``expires``)."""
    for name in names:
        if attributes.get(name) is not None:
            return attributes[name]
    return None


def _record(path: Path, where: p.Where, item: dict[str, Any], options: ReadOptions) -> KeyRecord:
    """One secret or key item."""
    key_id, vault, kind, name, version = _split_url(path, where, _item_url(item))
    attributes = item.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise p.fail(path, where, "not an object", "attributes")
    zone = options.assume_tz

    def when(field: str, *names: str) -> Any:
        """A timestamp attribute in either spelling."""
        return p.timestamp(path, where, field, _attr(attributes, *names), zone)

    created = when("attributes.created", "created")
    deleted = p.timestamp(path, where, "deletedDate", item.get("deletedDate"), zone)
    purge = p.timestamp(path, where, "scheduledPurgeDate", item.get("scheduledPurgeDate"), zone)
    times = {"updated": when("attributes.updated", "updated"), "scheduled_purge": purge}
    times["not_before"] = when("attributes.nbf", "nbf", "notBefore")
    facts = _facts(item, attributes, key_id, version, times)
    record: KeyRecord = {
        "_where": where,
        "key_id": key_id,
        "provider": options.provider or "azure",
        "name": item.get("name") if isinstance(item.get("name"), str) else name,
        "account": vault,
        "key_type": kind,
        "enabled": p.boolean(path, where, "attributes.enabled", attributes.get("enabled", True)),
        "created_at": created,
        "last_rotated_at": created,
        "expires_at": when("attributes.exp", "exp", "expires"),
        "revoked": deleted is not None,
        "revoked_at": deleted,
        "attributes": facts,
    }
    if isinstance(item.get("value"), str):
        record.update(p.secret_facts(path, where, item["value"]))
    if options.environment:
        record["environment"] = options.environment
    return record


def _facts(
    item: dict[str, Any],
    attributes: dict[str, Any],
    key_id: str,
    version: str | None,
    times: dict[str, Any],
) -> dict[str, Any]:
    """What is kept for evidence: vault, version, tags, recovery settings, other times."""
    facts = {k: attributes[k] for k in _KEEP_ATTRS if attributes.get(k) is not None}
    facts |= {k: item[k] for k in _KEEP_ITEM if item.get(k) is not None}
    facts |= {"vault_url": key_id.rsplit("/", 2)[0], "version": version, "version_count": 1}
    facts |= {name: isoformat(value) for name, value in times.items()}
    facts[keyfacts.LAST_USE] = False  # Key Vault listings carry no last-use time
    return {k: v for k, v in facts.items() if v is not None}


def _fold(path: Path, older: KeyRecord, newer: KeyRecord) -> KeyRecord:
    """Two versions of one secret: the newest describes the key, the oldest its creation."""
    if older["attributes"].get("version") is None or newer["attributes"].get("version") is None:
        first = older["_where"][1]
        raise p.fail(path, newer["_where"], f"duplicate key_id (first at record {first})", "id")
    if (older["created_at"] or _EPOCH) > (newer["created_at"] or _EPOCH):
        older, newer = newer, older
    merged = dict(newer)
    merged["created_at"] = older["created_at"] or newer["created_at"]
    count = older["attributes"]["version_count"] + newer["attributes"]["version_count"]
    merged["attributes"] = dict(newer["attributes"], version_count=count)
    return merged
