"""A small realistic audit fixture written on demand: a house inventory and a quarter of logs.

Nine keys, one quarter (2026-07-01 .. 2026-09-30) of house JSON Lines events, evaluated at
2026-10-01. What fails on purpose: rotation-overdue (k-prod-old), expiring-soon (k-stag-ci),
no-expiry (k-dev-tools), weak-key (k-dev-weak), missing-metadata (k-prod-noowner),
used-after-revocation (k-prod-gone), failed-auth-burst (k-prod-pay), unknown-key-activity
(k-ghost) and log-retention-gap (one quarter < 12 months). Sharing, scopes, expiry and location
rules find nothing. k-prod-pay and k-prod-old are marked cardholder_data: PCI DSS 3.6/3.7 judge
only them.
"""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

START = datetime(2026, 7, 1, tzinfo=UTC)
END = datetime(2026, 10, 1, tzinfo=UTC)
COLUMNS = [
    "key_id", "name", "owner", "purpose", "environment", "provider", "scopes", "created_at",
    "expires_at", "last_used_at", "last_rotated_at", "revoked_at", "revoked_reason",
    "fingerprint", "entropy_bits", "cardholder_data",
]  # fmt: skip
CARDHOLDER = ("k-prod-pay", "k-prod-old")
TABLE = """
k-prod-pay payments-api payments prod payments:read 2026-06-20 2026-12-31 2026-08-01 - 256
k-prod-old orders-api orders prod orders:write 2025-12-01 2027-03-01 2026-02-01 - 256
k-prod-noowner reports-api - prod reports:read 2026-06-01 2026-12-01 2026-08-15 - 256
k-prod-gone legacy-api orders prod legacy:read 2026-05-01 2026-11-01 2026-07-01 2026-08-15 256
k-stag-ci ci-deployer platform staging deploy:staging 2026-09-20 2026-10-05 2026-09-20 - 256
k-dev-tools dev-tools platform dev tools:read 2026-08-01 - 2026-08-01 - 256
k-dev-weak dev-sandbox platform dev sandbox:read 2026-08-01 2026-12-01 2026-08-01 - 128
k-stag-db staging-db data staging db:read 2026-09-10 2026-12-01 2026-09-10 - 256
k-dev-mail dev-mailer comms dev mail:send 2026-07-15 2026-12-01 2026-07-15 - 256
"""
"""key_id name owner environment scopes created expires rotated revoked entropy ('-' = empty)."""
KEYS = [tuple("" if v == "-" else v for v in line.split()) for line in TABLE.strip().splitlines()]


def day(text: str) -> str:
    """A date as an ISO timestamp at midnight UTC (empty stays empty)."""
    return f"{text}T00:00:00Z" if text else ""


def write_inventory(path: Path, rotated: dict[str, str] | None = None) -> Path:
    """The house CSV inventory; ``rotated`` overrides last_rotated_at per key (a fix)."""
    rotated = rotated or {}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for kid, name, owner, env, scopes, created, expires, rot, revoked, bits in KEYS:
            last_used = "2026-08-15T10:00:00Z" if revoked else "2026-09-30T10:00:00Z"
            writer.writerow([
                kid, name, owner, f"{name} service", env, "house", scopes, day(created),
                day(expires), last_used, day(rotated.get(kid, rot)), day(revoked),
                "compromised laptop" if revoked else "",
                hashlib.sha256(kid.encode()).hexdigest(), bits,
                "true" if kid in CARDHOLDER else "",
            ])  # fmt: skip
    return path


def _event(ts: datetime, key: str, ip: str, outcome: str = "success") -> str:
    """One house JSON Lines event."""
    record = {
        "ts": ts.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "key_id": key,
        "source_ip": ip,
        "country": "DE",
        "action": "GET /v1/items",
        "outcome": outcome,
    }
    return json.dumps(record, sort_keys=True)


def write_logs(path: Path) -> Path:
    """A quarter of events: four a day per key in use, one burst, a revoked and an unknown key."""
    lines = []
    for index, (kid, *_rest, created, _exp, _rot, revoked, _bits) in enumerate(KEYS):
        first = max(START, datetime.fromisoformat(created).replace(tzinfo=UTC))
        last = datetime(2026, 8, 15, 10, tzinfo=UTC) if revoked else END
        ip = f"10.0.0.{index + 10}"
        t = first + timedelta(hours=10)
        while t < last:
            lines.extend(_event(t + timedelta(hours=h), kid, ip) for h in range(4))
            t += timedelta(days=1)
        if revoked:  # still working after revocation
            lines.extend(_event(datetime(2026, 8, 20, 9, m, tzinfo=UTC), kid, ip) for m in range(3))
    burst = datetime(2026, 8, 10, 3, 0, tzinfo=UTC)
    lines.extend(
        _event(burst + timedelta(seconds=2 * i), "k-prod-pay", "203.0.113.9", "auth_failed")
        for i in range(15)
    )
    lines.extend(
        _event(datetime(2026, 9, 1, 12, i, tzinfo=UTC), "k-ghost", "198.51.100.7") for i in range(5)
    )
    path.write_text("\n".join(sorted(lines)) + "\n", encoding="utf-8")
    return path


def write_fixture(folder: Path, rotated: dict[str, str] | None = None) -> tuple[Path, Path]:
    """Write inventory and logs into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    return write_inventory(folder / "keys.csv", rotated), write_logs(folder / "access.jsonl")
