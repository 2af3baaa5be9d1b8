"""``aws iam list-access-keys`` output: the real AKIA ids, status and creation dates."""

from __future__ import annotations

from pathlib import Path

from toolkit import keyfacts
from toolkit.errors import IngestError
from toolkit.ingest.inventory import parsing as p
from toolkit.ingest.inventory.interface import KeyRecord, ReadOptions

STATUSES = {"active": True, "inactive": False, "expired": False}


class AwsAccessKeysReader:
    """IAM access-key metadata: one key per ``AccessKeyMetadata`` item."""

    name = "aws-access-keys"
    description = "AWS `aws iam list-access-keys` JSON (AccessKeyMetadata)"

    def sniff(self, sample: bytes, path: Path) -> bool:
        """A JSON document carrying ``AccessKeyMetadata``."""
        return sample.lstrip().startswith(b"{") and b'"AccessKeyMetadata"' in sample

    def read(self, path: Path, data: bytes, options: ReadOptions) -> list[KeyRecord]:
        """Every AccessKeyMetadata item (several responses may be concatenated in a list)."""
        document = p.load_json(path, p.decode_text(path, data))
        pages = document if isinstance(document, list) else [document]
        items = []
        for page in pages:
            if not isinstance(page, dict) or "AccessKeyMetadata" not in page:
                raise IngestError(path, "no AccessKeyMetadata list", field="AccessKeyMetadata")
            items.extend(p.object_list(path, page["AccessKeyMetadata"], "access keys"))
        return [_record(path, ("record", n), item, options) for n, item in enumerate(items, 1)]


def _record(path: Path, where: p.Where, item: dict, options: ReadOptions) -> KeyRecord:
    """One access key; the user name is kept to match it with a credential report."""
    key_id = p.text_field(path, where, "AccessKeyId", item.get("AccessKeyId"))
    user = p.text_field(path, where, "UserName", item.get("UserName"))
    if not key_id:
        raise p.fail(path, where, "missing", "AccessKeyId")
    if not user:
        raise p.fail(path, where, "missing", "UserName")
    status = str(item.get("Status", "")).strip().lower()
    if status not in STATUSES:
        raise p.fail(path, where, "expected Active or Inactive", "Status")
    created = p.timestamp(path, where, "CreateDate", item.get("CreateDate"), options.assume_tz)
    record: KeyRecord = {
        "_where": where,
        "key_id": key_id,
        "provider": options.provider or "aws",
        "key_type": "access_key",
        "enabled": STATUSES[status],
        "created_at": created,
        "last_rotated_at": created,
        "attributes": {
            "user": user,
            "status": item.get("Status"),
            keyfacts.LAST_USE: False,  # list-access-keys carries no last-use time
        },
    }
    if options.environment:
        record["environment"] = options.environment
    return record
