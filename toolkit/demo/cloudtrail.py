"""Demo CloudTrail trail file for the AWS keys of the demo inventory."""

from __future__ import annotations

import gzip
import json
import random
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.analytics.interface import is_placeholder
from toolkit.demo import in_gap
from toolkit.timeutil import ensure_utc

if TYPE_CHECKING:
    from toolkit.models import KeyBase

SEED = 7
CALLS = (
    ("s3.amazonaws.com", "GetObject"),
    ("sts.amazonaws.com", "GetCallerIdentity"),
    ("ec2.amazonaws.com", "DescribeInstances"),
    ("iam.amazonaws.com", "ListUsers"),
)


def _record(rng: random.Random, key_id: str, arn: str, ts: datetime, error: str | None) -> dict:
    """One CloudTrail record as AWS delivers it."""
    source, name = rng.choice(CALLS)
    record: dict[str, Any] = {
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "IAMUser",
            "principalId": "AIDADEMO" + key_id[-8:],
            "arn": arn,
            "accountId": arn.split(":")[4] or "123456789012",
            "accessKeyId": key_id,
            "userName": arn.rsplit("/", 1)[-1],
        },
        "eventTime": ts.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": source,
        "eventName": name,
        "awsRegion": "eu-central-1",
        "sourceIPAddress": f"3.120.{rng.randint(1, 3)}.{rng.randint(2, 250)}",
        "userAgent": "aws-cli/2.17.0",
        "requestID": str(uuid.UUID(int=rng.getrandbits(128))),
        "eventID": str(uuid.UUID(int=rng.getrandbits(128))),
        "readOnly": True,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": "123456789012",
    }
    if error:
        record.update(errorCode=error, errorMessage="demo")
    return record


def _key_id(key: KeyBase, index: int) -> str:
    """The access key id in the logs: the key's own, or a made-up one for placeholder rows."""
    return f"AKIADEMOPLACEHOLDR{index:02d}" if is_placeholder(key.key_id) else key.key_id


def write_cloudtrail(
    out_dir: Path, keys: Sequence[KeyBase], start: datetime, end: datetime
) -> Path:
    """A ``{"Records": [...]}`` gzip file: a few calls a day per AWS key, denials now and then."""
    rng = random.Random(SEED)
    records = []
    for index, key in enumerate(keys):
        arn = key.principal or f"arn:aws:iam::123456789012:user/{key.name or 'demo'}"
        last = min(end, ensure_utc(key.revoked_at) + timedelta(days=10)) if key.revoked_at else end
        day = start
        while day < last:
            for _ in range(rng.randint(2, 6)):
                ts = day + timedelta(seconds=rng.uniform(0, 86400))
                error = "AccessDenied" if rng.random() < 0.05 else None
                if ts < last and not in_gap(ts):
                    records.append(_record(rng, _key_id(key, index), arn, ts, error))
            day += timedelta(days=1)
    rng.shuffle(records)  # real trail files are not sorted by time
    account = next((k.principal.split(":")[4] for k in keys if k.principal), "123456789012")
    path = out_dir / f"{account}_CloudTrail_eu-central-1_20261001T0000Z_demo.json.gz"
    path.write_bytes(gzip.compress(json.dumps({"Records": records}).encode(), mtime=0))
    return path
