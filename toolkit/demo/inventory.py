"""Deterministic demo inventories: house CSV, AWS report + access keys, GCP keys, with problems."""

from __future__ import annotations

import base64
import csv
import io
import json
import random
import string
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from toolkit.demo import DEMO_AS_OF
from toolkit.ingest.inventory import ReadOptions
from toolkit.ingest.inventory.aws_report import COLUMNS as REPORT_COLUMNS
from toolkit.ingest.inventory.importer import ImportSummary, import_inventories
from toolkit.store import Store
from toolkit.timeutil import isoformat

SEED = 20261001
ACCOUNT = "111122223333"
PROJECT = "acme-staging"
HOUSE_FILE = "demo-house-keys.csv"
AWS_REPORT_FILE = "demo-aws-credential-report.json"
AWS_KEYS_FILE = "demo-aws-list-access-keys.json"
GCP_FILE = "demo-gcp-sa-keys.json"
FILE_ENVIRONMENTS = {HOUSE_FILE: None, AWS_REPORT_FILE: "prod", AWS_KEYS_FILE: "prod"}
FILE_ENVIRONMENTS[GCP_FILE] = "staging"
"""The ``--environment`` each demo file is imported with (None: the file names its own)."""

HOUSE_COLUMNS = ["id", "key", "name", "owner", "purpose", "environment", "scopes", "createdAt"]
HOUSE_COLUMNS += ["expiresAt", "lastUsedAt", "lastRotatedAt", "revoked", "revokedAt"]
HOUSE_COLUMNS += ["revokedReason", "replaces", "cardholderData"]
CARDHOLDER_KEYS = frozenset({"prod-payments-api", "prod-legacy-billing"})
"""Demo keys the inventory marks as protecting stored account data (PCI DSS 3.6/3.7 scope)."""
# id, env, owner, scopes, created, expires, last used, rotated (days before as-of; None: empty),
# extras. "value" names a shared value; "weak" makes a 128-bit key.
HOUSE: list[tuple[str, str, str | None, str, float, float | None, float | None, dict]] = [
    ("prod-payments-api", "prod", "payments", "payments:write", 30, -335, 0.05, {}),
    ("prod-orders-api", "prod", "orders", "orders:read orders:write", 60, -300, 0.2, {}),
    ("staging-search-api", "staging", "search", "search:query", 10, -80, 0.5, {}),
    ("dev-ci-token", "dev", "platform", "ci:run", 20, -160, 1, {}),
    ("prod-legacy-billing", "prod", "billing", "billing:read", 200, -100, 1, {}),
    ("staging-reports", "staging", "bi", "reports:read", 45, -200, 2, {}),
    ("dev-sandbox-old", "dev", "platform", "sandbox:all", 120, -60, 3, {}),
    ("prod-partner-webhook", "prod", "partners", "webhook:send", 60, -3, 0.1, {}),
    ("staging-mail-relay", "staging", "comms", "mail:send", 20, 5, 0.3, {}),
    ("prod-analytics-export", "prod", "bi", "analytics:export", 40, None, 1, {}),
    ("prod-batch-unused", "prod", "data", "batch:run", 400, -200, 120, {"rotated": 10}),
    ("dev-shared-token", "dev", "platform", "shared:read", 15, -300, 1, {"value": "env"}),
    ("prod-shared-token", "prod", "platform", "shared:read", 15, -300, 1, {"value": "env"}),
    ("staging-cache-a", "staging", "alice", "cache:rw", 12, -100, 1, {"value": "own"}),
    ("staging-cache-b", "staging", "bob", "cache:rw", 12, -100, 1, {"value": "own"}),
    ("dev-weak-key", "dev", "platform", "weak:read", 10, -100, 1, {"weak": True}),
    ("prod-wildcard-scope", "prod", "ops", "*", 20, -200, 0.5, {}),
    ("staging-admin-scope", "staging", "ops", "admin", 5, -100, 0.5, {}),
    ("dev-no-scopes", "dev", "ops", "", 25, -100, 2, {}),
    ("prod-orphan-key", "prod", None, "orders:read", 30, -200, 1, {}),
    ("staging-no-purpose", "staging", "qa", "qa:run", 8, -60, 1, {"bare": True}),
    ("prod-revoked-no-reason", "prod", "billing", "billing:write", 80, -200, 25, {"revoked": 20}),
    ("prod-revoked-rotated", "prod", "orders", "orders:write", 85, -200, 31, {"revoked": 30}),
    ("prod-gateway-v1", "prod", "edge", "gateway:proxy", 85, -100, 0.2, {}),
    ("prod-gateway-v2", "prod", "edge", "gateway:proxy", 5, -360, 0.2, {"replaces": "v1"}),
    ("prod-new-deploy-key", "prod", "platform", "deploy:run", 0.25, -365, None, {}),
]
# AWS users: name, [(days since last_rotated, days since last use or None, active)]
# (user, [(days since rotation, days since last use or None, active) per access key])
AWS_USERS: list[tuple[str, list[tuple[int, float | None, bool]]]] = [
    ("<root_account>", [(500, 200, True)]),
    ("deploy-bot", [(40, 0.5, True)]),
    ("legacy-etl", [(400, 1, True)]),
    ("old-contractor", [(150, None, True)]),
    ("ops,admin", [(10, 0.2, True), (200, 150, False)]),
]
CONSOLE_USER = "old-contractor"
"""The demo's IAM user with a console password (never used) and no MFA."""
DEMO_KEY_IDS: dict[str, list[str]] = {
    "healthy": ["prod-payments-api", "prod-orders-api", "staging-search-api", "dev-ci-token"],
    "rotation-overdue": ["prod-legacy-billing", "staging-reports", "dev-sandbox-old"],
    "expiring-soon": ["prod-partner-webhook"],
    "expired-active": ["staging-mail-relay"],
    "no-expiry": ["prod-analytics-export"],
    "unused": ["prod-batch-unused"],
    "shared-across-environments": ["dev-shared-token", "prod-shared-token"],
    "shared-between-owners": ["staging-cache-a", "staging-cache-b"],
    "weak-key": ["dev-weak-key"],
    "broad-scope": ["prod-wildcard-scope", "staging-admin-scope", "dev-no-scopes"],
    "missing-metadata": ["prod-orphan-key", "staging-no-purpose"],
    "revoked-without-reason": ["prod-revoked-no-reason"],
    "rotation-overlap-exceeded": ["prod-gateway-v1"],
    "new-key-generated": ["prod-new-deploy-key"],
}
"""Which demo key shows which problem (rule id -> key ids); AWS/GCP ids are added below."""


def _ago(days: float | None, as_of: datetime) -> str:
    """ISO text for ``days`` before as-of (negative: after); empty for None."""
    return "" if days is None else isoformat(as_of - timedelta(days=days)) or ""


def _token(rng: random.Random, weak: bool = False) -> str:
    """A key value: 43 url-safe characters (258 bits), or 32 hex digits (128 bits) when weak."""
    if weak:
        return f"{rng.getrandbits(128):032x}"
    alphabet = string.ascii_letters + string.digits + "-_"
    return "".join(rng.choice(alphabet) for _ in range(43))


def house_rows(rng: random.Random, as_of: datetime) -> list[dict[str, str]]:
    """The house CSV's rows (key values from ``rng``: deterministic, never printed)."""
    shared: dict[str, str] = {}
    rows = []
    for key_id, env, owner, scopes, created, expires, used, extra in HOUSE:
        value = shared.setdefault(extra["value"], _token(rng)) if "value" in extra else None
        revoked = extra.get("revoked")
        replaces = extra.get("replaces")
        rows.append(
            {
                "id": key_id,
                "key": value or _token(rng, extra.get("weak", False)),
                "name": "" if extra.get("bare") else key_id.split("-", 1)[1].replace("-", " "),
                "owner": owner or "",
                "purpose": "" if extra.get("bare") else f"{scopes or 'general'} for {env}",
                "environment": env,
                "scopes": scopes,
                "createdAt": _ago(created, as_of),
                "expiresAt": _ago(expires, as_of),
                "lastUsedAt": _ago(used, as_of),
                "lastRotatedAt": _ago(extra.get("rotated", created), as_of),
                "revoked": "true" if revoked else "false",
                "revokedAt": _ago(revoked, as_of),
                "revokedReason": "rotated out" if key_id == "prod-revoked-rotated" else "",
                "replaces": key_id.replace("v2", replaces) if replaces else "",
                "cardholderData": "true" if key_id in CARDHOLDER_KEYS else "",
            }
        )
    return rows


def _akia(rng: random.Random) -> str:
    """A deterministic, realistic-looking access key id."""
    return "AKIA" + "".join(rng.choice(string.ascii_uppercase + "234567") for _ in range(16))


def aws_key_ids() -> dict[str, list[str]]:
    """The demo's AKIA ids per IAM user (root's key has none: IAM cannot list it)."""
    rng = random.Random(SEED + 1)
    return {user: [_akia(rng) for _ in slots] for user, slots in AWS_USERS if user[0] != "<"}


def aws_files(as_of: datetime) -> tuple[str, dict[str, Any]]:
    """The credential report CSV and the matching list-access-keys response."""
    ids = aws_key_ids()
    header = REPORT_COLUMNS
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    metadata = []
    for user, slots in AWS_USERS:
        root = user == "<root_account>"
        arn = f"arn:aws:iam::{ACCOUNT}:" + ("root" if root else f"user/{user.replace(',', '')}")
        row = [user, arn, _ago(700, as_of), "not_supported" if root else "false"]
        row += ["no_information" if root else "N/A", "not_supported" if root else "N/A"]
        row += ["not_supported" if root else "N/A", "true" if root else "false"]
        if user == CONSOLE_USER:  # no-mfa: a console password, never used, and no MFA
            row[3], row[5] = "true", _ago(150, as_of)
        for number, slot in enumerate([*slots, None][:2]):
            if slot is None:
                row += ["false", "N/A", "N/A", "N/A", "N/A"]
                continue
            rotated, used, active = slot
            stamp = _ago(rotated, as_of).replace("Z", "+00:00")
            row += ["true" if active else "false", stamp, _ago(used, as_of) or "N/A"]
            row += ["eu-central-1", "s3"] if used is not None else ["N/A", "N/A"]
            if not root:
                metadata.append(
                    {
                        "UserName": user,
                        "AccessKeyId": ids[user][number],
                        "Status": "Active" if active else "Inactive",
                        "CreateDate": stamp,
                    }
                )
        writer.writerow(row + ["false", "N/A", "false", "N/A"])
    return out.getvalue().rstrip("\n"), {"AccessKeyMetadata": metadata}


def gcp_keys(as_of: datetime) -> list[dict[str, Any]]:
    """gcloud's JSON for one service account: a stale user key, a system key, an exposed one."""
    rng = random.Random(SEED + 2)
    sa = f"projects/{PROJECT}/serviceAccounts/reporting@{PROJECT}.iam.gserviceaccount.com/keys/"
    base: dict[str, Any] = {"keyAlgorithm": "KEY_ALG_RSA_2048", "keyOrigin": "GOOGLE_PROVIDED"}
    specs = [("USER_MANAGED", 50, None, False), ("SYSTEM_MANAGED", 3, -11, False)]
    specs.append(("USER_MANAGED", 15, None, True))
    keys = []
    for key_type, created, expires, exposed in specs:
        key = dict(base, keyType=key_type, name=sa + f"{rng.getrandbits(160):040x}")
        key["validAfterTime"] = _ago(created, as_of)
        key["validBeforeTime"] = _ago(expires, as_of) if expires else "9999-12-31T23:59:59Z"
        if exposed:
            key |= {"disabled": True, "disableReason": "SERVICE_ACCOUNT_KEY_DISABLE_REASON_EXPOSED"}
        keys.append(key)
    return keys


def write_demo_inventories(out_dir: Path, as_of: datetime = DEMO_AS_OF) -> list[Path]:
    """Write the demo inventory files into ``out_dir``; the same bytes every time for one as-of.

    Import each with the environment ``FILE_ENVIRONMENTS`` gives it.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HOUSE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(house_rows(random.Random(SEED), as_of))
    report, access_keys = aws_files(as_of)
    response = {
        "Content": base64.b64encode(report.encode("utf-8")).decode("ascii"),
        "ReportFormat": "text/csv",
        "GeneratedTime": isoformat(as_of - timedelta(hours=2)),
    }
    contents = {
        HOUSE_FILE: buffer.getvalue(),
        AWS_REPORT_FILE: json.dumps(response, indent=2) + "\n",
        AWS_KEYS_FILE: json.dumps(access_keys, indent=2) + "\n",
        GCP_FILE: json.dumps(gcp_keys(as_of), indent=2) + "\n",
    }
    paths = []
    for name, text in contents.items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def import_demo_inventories(
    store: Store, paths: list[Path], actor: str, at: datetime
) -> list[ImportSummary]:
    """Import the demo files, each group with its environment (AWS files together)."""
    groups: dict[str | None, list[Path]] = {}
    for path in paths:
        groups.setdefault(FILE_ENVIRONMENTS.get(path.name), []).append(path)
    return [
        import_inventories(store, files, ReadOptions(environment=env), actor, at)
        for env, files in groups.items()
    ]


def _add_cloud_ids() -> None:
    """Name the AWS and GCP keys in DEMO_KEY_IDS (ids are fixed by the seeds, not the date)."""
    aws = aws_key_ids()
    root = f"arn:aws:iam::{ACCOUNT}:root#access_key_1"
    gcp = [k["name"].rsplit("/", 1)[1] for k in gcp_keys(DEMO_AS_OF)]
    active = [aws["deploy-bot"][0], aws["ops,admin"][0], aws["legacy-etl"][0], root]
    active.append(aws["old-contractor"][0])
    DEMO_KEY_IDS["rotation-overdue"] += [aws["legacy-etl"][0], aws["old-contractor"][0], root]
    DEMO_KEY_IDS["rotation-overdue"].append(gcp[0])
    DEMO_KEY_IDS["unused"].append(root)  # old-contractor's never-used key shows up in the logs
    DEMO_KEY_IDS["no-expiry"] += [*active, gcp[0]]  # IAM access keys never expire
    DEMO_KEY_IDS["inactive"] = [aws["ops,admin"][1], gcp[2]]
    DEMO_KEY_IDS["system-managed"] = [gcp[1]]
    DEMO_KEY_IDS["root-access-key"] = [root]
    DEMO_KEY_IDS["no-mfa"] = [aws[CONSOLE_USER][0]]
    DEMO_KEY_IDS["provider-reported-exposed"] = [gcp[2]]


_add_cloud_ids()
