"""AWS IAM credential report: the raw CSV, or the GetCredentialReport JSON response."""

from __future__ import annotations

import base64
import binascii
import json
import re
from pathlib import Path
from typing import Any

from toolkit import keyfacts
from toolkit.errors import IngestError
from toolkit.ingest.inventory import parsing as p
from toolkit.ingest.inventory.interface import KeyRecord, ReadOptions
from toolkit.ingest.inventory.rows import csv_rows
from toolkit.timeutil import isoformat, parse_timestamp

HEADER_START = "user,arn,user_creation_time"
COLUMNS = (
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
    "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
    "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
    "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
    "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
    "cert_1_last_rotated,cert_2_active,cert_2_last_rotated"
).split(",")
SENTINELS = {"n/a": None, "": None, "no_information": "no_information"}
SENTINELS["not_supported"] = "not_supported"
USER_TIMES: tuple[str, ...] = ("user_creation_time", "password_last_used", "password_last_changed")
USER_TIMES += ("password_next_rotation", "cert_1_last_rotated", "cert_2_last_rotated")
USER_FLAGS = ("password_enabled", "mfa_active", "cert_1_active", "cert_2_active")
_B64_TEXT = re.compile(r"^[A-Za-z0-9+/=\s]+$")
_B64_HEADER = base64.b64encode(HEADER_START.encode())[:24]


def placeholder_id(arn: str, slot: int) -> str:
    """The key id a report slot gets until list-access-keys supplies the real AKIA id."""
    return f"{arn}#access_key_{slot}"


class AwsCredentialReportReader:
    """The IAM credential report, one key per active or once-used access-key slot."""

    name = "aws-credential-report"
    description = "AWS IAM credential report (CSV, or GetCredentialReport JSON)"

    def sniff(self, sample: bytes, path: Path) -> bool:
        """The report's header, base64 or plain, bare or inside the JSON response."""
        head = sample.lstrip(b"\xef\xbb\xbf \t\r\n")
        if head.startswith((HEADER_START.encode(), _B64_HEADER)):
            return True
        return head.startswith(b"{") and b'"Content"' in sample and b'"ReportFormat"' in sample

    def read(self, path: Path, data: bytes, options: ReadOptions) -> list[KeyRecord]:
        """Every user row; each existing access-key slot becomes one key."""
        text = p.decode_text(path, data).lstrip()
        generated = None
        if text.startswith("{"):
            text, generated = _unwrap(path, text)
        elif not text.startswith(HEADER_START):
            if not _B64_TEXT.match(text):
                raise IngestError(path, "not a credential report header", line=1, field="user")
            text = _b64(path, text)
        header, body = csv_rows(path, text)
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise IngestError(path, "not a credential report header", line=1, field=missing[0])
        records: list[KeyRecord] = []
        for line, cells in body:
            if len(cells) != len(header):
                raise IngestError(
                    path, f"row has {len(cells)} fields, header has {len(header)}", line=line
                )
            row = dict(zip(header, cells, strict=True))
            records.extend(_user_keys(path, ("line", line), row, options, generated))
        return records


def _unwrap(path: Path, text: str) -> tuple[str, str | None]:
    """The CSV inside a GetCredentialReport response (``Content`` base64 or decoded)."""
    document = p.load_json(path, text)
    if not isinstance(document, dict) or not isinstance(document.get("Content"), str):
        raise IngestError(
            path, "no Content text in the credential report response", field="Content"
        )
    content = document["Content"]
    if not content.lstrip().startswith(HEADER_START):
        content = _b64(path, content)
    generated = p.timestamp(
        path, ("record", 1), "GeneratedTime", document.get("GeneratedTime"), None
    )
    return content, isoformat(generated)


def _b64(path: Path, text: str) -> str:
    """Base64 text decoded to the report CSV."""
    try:
        decoded = base64.b64decode("".join(text.split()), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        raise IngestError(
            path, "Content is neither report CSV nor base64 of it", field="Content"
        ) from None
    if not decoded.startswith(HEADER_START):
        raise IngestError(path, "Content is not a credential report", field="Content")
    return decoded


def _value(path: Path, where: p.Where, column: str, raw: str, options: ReadOptions) -> Any:
    """A date column: None for N/A, the sentinel word kept, else an ISO UTC timestamp."""
    key = raw.strip().lower()
    if key in SENTINELS:
        return SENTINELS[key]
    return p.timestamp(path, where, column, raw, options.assume_tz)


def _user_facts(
    path: Path, where: p.Where, row: dict[str, str], options: ReadOptions
) -> dict[str, Any]:
    """The user-level columns kept as attributes (dates as ISO text, flags as booleans)."""
    facts: dict[str, Any] = {"user": row["user"]}
    for column in USER_TIMES:
        value = _value(path, where, column, row[column], options)
        facts[column] = isoformat(value) if hasattr(value, "isoformat") else value
    for column in USER_FLAGS:
        raw = row[column].strip().lower()
        facts[column] = raw if raw in SENTINELS else p.boolean(path, where, column, raw)
    facts[keyfacts.IDENTITY] = _identity(row, facts).to_attributes()
    return facts


def _identity(row: dict[str, str], facts: dict[str, Any]) -> keyfacts.AccountIdentity:
    """The typed root/password/MFA facts of a report row (see ``toolkit.keyfacts``)."""
    enabled = facts["password_enabled"] if isinstance(facts["password_enabled"], bool) else None
    last_used = facts["password_last_used"]
    return keyfacts.AccountIdentity(
        user=row["user"],
        is_root=row["user"] == keyfacts.ROOT_USER or row["arn"].strip().endswith(":root"),
        mfa_active=facts["mfa_active"] if isinstance(facts["mfa_active"], bool) else None,
        password_enabled=enabled,
        password_last_used=parse_timestamp(last_used) if _is_time(last_used) else None,
        password_never_used=enabled is True and last_used is None,
    )


def _is_time(value: Any) -> bool:
    """True for an ISO timestamp kept as text (not a sentinel word, not None)."""
    return isinstance(value, str) and value not in SENTINELS.values()


def _user_keys(
    path: Path, where: p.Where, row: dict[str, str], options: ReadOptions, generated: str | None
) -> list[KeyRecord]:
    """The access keys of one report row (skipping slots that hold no key)."""
    arn = row["arn"].strip()
    parts = arn.split(":")
    if len(parts) < 6 or parts[0] != "arn":
        raise p.fail(path, where, "not an IAM ARN", "arn")
    facts = _user_facts(path, where, row, options)
    if generated:
        facts["report_generated_at"] = generated
    keys = []
    for slot in (1, 2):
        prefix = f"access_key_{slot}_"
        active = p.boolean(path, where, prefix + "active", row[prefix + "active"])
        rotated = _value(
            path, where, prefix + "last_rotated", row[prefix + "last_rotated"], options
        )
        if not active and rotated is None:
            continue
        keys.append(_slot_record(path, where, row, slot, active, rotated, facts, options))
    return keys


def _slot_record(
    path: Path,
    where: p.Where,
    row: dict[str, str],
    slot: int,
    active: bool,
    rotated: Any,
    facts: dict[str, Any],
    options: ReadOptions,
) -> KeyRecord:
    """One access-key slot as a key record with a placeholder id."""
    prefix = f"access_key_{slot}_"
    used = _value(path, where, prefix + "last_used_date", row[prefix + "last_used_date"], options)
    rotated_at = rotated if hasattr(rotated, "isoformat") else None
    attributes = dict(facts, slot=slot)
    for field in ("region", "service"):
        raw = row[prefix + "last_used_" + field].strip()
        attributes["last_used_" + field] = None if raw.lower() in SENTINELS else raw
    if not hasattr(used, "isoformat"):
        attributes["last_used_state"] = used
    arn = row["arn"].strip()
    record: KeyRecord = {
        "_where": where,
        "key_id": placeholder_id(arn, slot),
        "provider": options.provider or "aws",
        "name": f"{row['user']} access key {slot}",
        "principal": arn,
        "account": arn.split(":")[4],
        "key_type": "access_key",
        "enabled": active,
        "created_at": rotated_at,
        "last_rotated_at": rotated_at,
        "last_used_at": used if hasattr(used, "isoformat") else None,
        "attributes": json.loads(json.dumps(attributes, default=str)),
    }
    if options.environment:
        record["environment"] = options.environment
    return record
