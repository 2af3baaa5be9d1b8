"""GCP service-account keys: ``gcloud ... keys list --format=json`` or the REST ``keys.list``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from toolkit.errors import IngestError
from toolkit.ingest.inventory import parsing as p
from toolkit.ingest.inventory.interface import KeyRecord, ReadOptions

NO_EXPIRY = "9999-12-31T23:59:59Z"
_NAME = re.compile(
    r"^projects/(?P<project>[^/]+)/serviceAccounts/(?P<email>[^/]+)/keys/(?P<id>[^/]+)$"
)
_KEEP = ("keyAlgorithm", "keyOrigin", "disableReason", "extendedStatus", "description", "creator")


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
            and (b'"validAfterTime"' in sample or b'"keyType"' in sample)
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
    """One ServiceAccountKey resource."""
    match = _NAME.match(str(item.get("name", "")))
    if match is None:
        raise p.fail(path, where, "expected projects/P/serviceAccounts/SA/keys/ID", "name")
    zone = options.assume_tz
    created = p.timestamp(path, where, "validAfterTime", item.get("validAfterTime"), zone)
    before = item.get("validBeforeTime")
    expires = (
        None
        if before in (None, NO_EXPIRY)
        else p.timestamp(path, where, "validBeforeTime", before, zone)
    )
    disabled = p.boolean(path, where, "disabled", item.get("disabled", False))
    attributes = {name: item[name] for name in _KEEP if name in item}
    attributes["project"] = match["project"]
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
