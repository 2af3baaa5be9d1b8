"""GCP service-account keys: ``gcloud ... keys list --format=json`` or the REST ``keys.list``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from toolkit import keyfacts
from toolkit.errors import IngestError
from toolkit.ingest.inventory import parsing as p
from toolkit.ingest.inventory.interface import KeyRecord, ReadOptions

NO_EXPIRY = "9999-12-31T23:59:59Z"
NO_EXPIRY_DAY = NO_EXPIRY[:10]
"""Any time on this day (with or without fractions) is Google's 'never expires'."""
_NAME = re.compile(
    r"^projects/(?P<project>[^/]+)/serviceAccounts/(?P<email>[^/]+)/keys/(?P<id>[^/]+)$"
)
_KEEP = ("keyAlgorithm", "keyOrigin", "disableReason", "extendedStatus", "description")
_KEEP_MORE = ("creator", "contact")
SNAKE = {
    "valid_after_time": "validAfterTime",
    "valid_before_time": "validBeforeTime",
    "key_algorithm": "keyAlgorithm",
    "key_origin": "keyOrigin",
    "key_type": "keyType",
    "disable_reason": "disableReason",
    "extended_status": "extendedStatus",
    "display_name": "displayName",
    "private_key_type": "privateKeyType",
}
"""The snake_case spellings Google's client libraries and reference pages use, to camelCase."""
_SNIFF = ("validAfterTime", "keyType", "valid_after_time", "key_type")


class GcpServiceAccountKeysReader:
    """Service-account keys; key id = last segment of ``name``, principal = the SA email."""

    name = "gcp-sa-keys"
    description = 'GCP service-account keys (gcloud JSON array or REST {"keys": [...]})'

    def sniff(self, sample: bytes, path: Path) -> bool:
        """JSON naming service-account keys with validity times."""
        head = sample.lstrip()
        return (
            head.startswith((b"[", b"{"))
            and b"/serviceAccounts/" in sample
            and any(f'"{name}"'.encode() in sample for name in _SNIFF)
        )

    def read(self, path: Path, data: bytes, options: ReadOptions) -> list[KeyRecord]:
        """Every key in the listing."""
        document = p.load_json(path, p.decode_text(path, data))
        if isinstance(document, dict):
            if "keys" not in document:
                raise IngestError(path, "no keys list in the REST response", field="keys")
            document = document["keys"]
        items = p.object_list(path, document, "service-account keys")
        return [_record(path, ("record", n), item, options) for n, item in enumerate(items, 1)]


def _record(path: Path, where: p.Where, item: dict[str, Any], options: ReadOptions) -> KeyRecord:
    """One ServiceAccountKey resource (camelCase or snake_case field names)."""
    item = _camel(path, where, item)
    match = _NAME.match(str(item.get("name", "")))
    if match is None:
        raise p.fail(path, where, "expected projects/P/serviceAccounts/SA/keys/ID", "name")
    zone = options.assume_tz
    created = p.timestamp(path, where, "validAfterTime", item.get("validAfterTime"), zone)
    before = item.get("validBeforeTime")
    expires = (
        None
        if before is None or str(before).startswith(NO_EXPIRY_DAY)
        else p.timestamp(path, where, "validBeforeTime", before, zone)
    )
    disabled = p.boolean(path, where, "disabled", item.get("disabled", False))
    attributes = {name: item[name] for name in (*_KEEP, *_KEEP_MORE) if name in item}
    attributes["project"] = match["project"]
    attributes[keyfacts.STATUS] = _status(path, where, item).to_attributes()
    attributes[keyfacts.LAST_USE] = False  # Google's key listing carries no last-use time
    record: KeyRecord = {
        "_where": where,
        "key_id": match["id"],
        "provider": options.provider or "gcp",
        "name": item.get("displayName") or f"{match['email'].split('@')[0]} key",
        "principal": match["email"],
        "account": match["project"],
        "key_type": str(item.get("keyType") or "KEY_TYPE_UNSPECIFIED"),
        "enabled": not disabled,
        "created_at": created,
        "last_rotated_at": created,
        "expires_at": expires,
        "attributes": attributes,
    }
    if options.environment:
        record["environment"] = options.environment
    return record


def _camel(path: Path, where: p.Where, item: dict[str, Any]) -> dict[str, Any]:
    """The resource with snake_case field names turned to camelCase; both spellings is an error."""
    out = dict(item)
    for snake, camel in SNAKE.items():
        if snake in out:
            if camel in out:
                raise p.fail(path, where, f"given twice (also as {camel})", snake)
            out[camel] = out.pop(snake)
    return out


def _status(path: Path, where: p.Where, item: dict[str, Any]) -> keyfacts.ProviderStatus:
    """``disableReason`` and the keys of ``extendedStatus``, checked to be enum names."""
    reason = item.get("disableReason")
    if reason is not None and not isinstance(reason, str):
        raise p.fail(path, where, "not an enum name", "disableReason")
    entries = item.get("extendedStatus") or []
    if not isinstance(entries, list):
        raise p.fail(path, where, "not a list", "extendedStatus")
    statuses = []
    for entry in entries:
        key = entry.get("key") if isinstance(entry, dict) else None
        if not isinstance(key, str):
            raise p.fail(path, where, "each status needs a key naming it", "extendedStatus")
        statuses.append(key)
    return keyfacts.ProviderStatus(reason or None, tuple(statuses))
