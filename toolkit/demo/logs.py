"""Deterministic demo access logs: a quarter of normal traffic with one problem per alert."""

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
from toolkit.demo import DEMO_AS_OF, DEMO_LOG_START, in_gap
from toolkit.demo.cloudtrail import write_cloudtrail
from toolkit.keyfacts import last_use_recorded
from toolkit.timeutil import ensure_utc, isoformat

if TYPE_CHECKING:
    from toolkit.models import KeyBase

SEED = 20261001
MAX_KEYS = 40
IDLE = timedelta(days=60)
"""Active keys whose reported last use is older than this stay out of the logs."""
HOMES = (("DE", "88.198"), ("US", "34.201"), ("GB", "51.140"), ("NL", "145.53"), ("FR", "51.15"))
ACTIONS = ("GET /v1/orders", "POST /v1/orders", "GET /v1/customers", "GET /v2/reports")
REQUESTS = uuid.UUID("6f1c2d3e-0000-4000-8000-6b657976696c")
"""Namespace of the demo's request ids (UUIDs derived from a count: no random draw)."""
AGENTS = ("qore-client/2.4.1", "python-requests/2.32", "curl/8.5.0")
Event = dict[str, Any]


class Traffic:
    """Collects events for one key profile with a fixed random source."""

    def __init__(self, rng: random.Random, start: datetime, end: datetime) -> None:
        """Events are kept between ``start`` and ``end``."""
        self.rng, self.start, self.end = rng, start, end
        self.events: list[dict[str, Any]] = []

    def add(
        self, ts: datetime, key: KeyBase | _Fake | None, country: str, ip: str, status: int
    ) -> None:
        """One event (dropped outside the window or inside the gap)."""
        if not (self.start <= ts < self.end) or in_gap(ts):
            return
        self.events.append(
            {
                "ts": isoformat(ts.replace(microsecond=ts.microsecond // 1000 * 1000)),
                "key_id": key.key_id if key else None,
                "principal": key.principal if key else None,
                "source_ip": ip,
                "country": country,
                "user_agent": self.rng.choice(AGENTS),
                "action": self.rng.choice(ACTIONS),
                "status": status,
                "request_id": str(uuid.uuid5(REQUESTS, str(len(self.events)))),
            }
        )

    def status(self, fail_rate: float = 0.01) -> int:
        """Mostly 200; some 401, 403 and 500."""
        roll = self.rng.random()
        if roll < fail_rate:
            return 401
        return 403 if roll < fail_rate + 0.005 else 500 if roll < fail_rate + 0.008 else 200

    def daily(
        self,
        key: KeyBase | None,
        mean: int,
        home: tuple[str, str],
        ip_tail: int,
        fail_rate: float = 0.01,
        days: tuple[datetime, datetime] | None = None,
    ) -> None:
        """Steady traffic: about ``mean`` events a day (+-30%) from one home network."""
        first, last = days or (self.start, self.end)
        day = first.replace(hour=0, minute=0, second=0, microsecond=0)
        while day < last:
            for _ in range(int(mean * self.rng.uniform(0.7, 1.3))):
                ts = day + timedelta(seconds=self.rng.uniform(0, 86400))
                ip = f"{home[1]}.{ip_tail}.{self.rng.randint(2, 4)}"
                self.add(ts, key, home[0], ip, self.status(fail_rate))
            day += timedelta(days=1)


def usable(keys: Sequence[KeyBase]) -> list[KeyBase]:
    """Keys that can appear in logs by id: real ids, created before the demo quarter ends."""
    found = [k for k in keys if not is_placeholder(k.key_id)]
    return sorted(found, key=lambda k: (k.environment != "prod", k.provider, k.key_id))


def _inject(
    t: Traffic, keys: list[KeyBase], homes: dict[str, tuple[str, str]], end: datetime
) -> None:
    """One problem per alert: bursts of failures and denials, new country, spike, failure-rate
    rise, unknown key, no key."""
    active = [k for k in keys if k.active and k.key_id in homes] or keys
    burst, travel, spike, failing = (active[i % len(active)] for i in range(4))
    home = lambda key: homes.get(key.key_id, HOMES[0])  # noqa: E731
    at = end - timedelta(days=2, hours=9, seconds=25)
    for i in range(24):  # failed-auth-burst: 24 failures in 46 s across a minute boundary
        t.add(at + timedelta(seconds=2 * i), burst, home(burst)[0], "185.220.101.7", 401)
    for i in range(12):  # new-location: a country the key never used before
        t.add(end - timedelta(days=5, hours=i), travel, "BR", "177.67.80.14", 200)
    country, net = home(spike)
    for i in range(900):  # usage-anomaly: one day ten times the usual volume
        t.add(end - timedelta(days=6, seconds=-90 * i), spike, country, f"{net}.9.3", 200)
    t.daily(failing, 20, home(failing), 40, 0.6, (end - timedelta(days=7), end))  # failures up
    stranger = _Fake("kv_live_7Qx2unknown", None)
    for i in range(150):  # unknown-key-activity
        t.add(end - timedelta(days=20, minutes=7 * i), stranger, "NL", "145.53.1.9", 200)
    for i in range(40):  # access-without-audit-trail: neither key nor principal
        t.add(end - timedelta(days=30, hours=13 * i), None, "US", "34.201.200.8", 401)
    prober = active[4 % len(active)]
    at = end - timedelta(days=3, hours=4, seconds=10)
    for i in range(26):  # denied-burst: 26 denials (403) in 50 s, a key probing what it may do
        t.add(at + timedelta(seconds=2 * i), prober, "RO", "89.38.99.12", 403)


class _Fake:
    """A key-shaped object for ids no inventory knows."""

    def __init__(self, key_id: str, principal: str | None) -> None:
        """Just the two fields the log writer reads."""
        self.key_id, self.principal = key_id, principal


def _revoked(t: Traffic, keys: Sequence[KeyBase], start: datetime, end: datetime) -> None:
    """Keys revoked (or expired) before the end keep being tried: some calls still succeed."""
    ended = [k for k in keys if k.revoked_at and ensure_utc(k.revoked_at) < end][:2]
    for key in ended:
        assert key.revoked_at is not None
        after = max(ensure_utc(key.revoked_at), start) + timedelta(days=1)
        for i in range(30):
            t.add(after + timedelta(hours=5 * i), key, "DE", "88.198.50.9", 200 if i % 3 else 401)


def house_events(keys: Sequence[KeyBase], start: datetime, end: datetime) -> list[Event]:
    """All house-format events, sorted by time."""
    rng = random.Random(SEED)
    t = Traffic(rng, start, end)
    chosen = usable(keys)[:MAX_KEYS]
    silent = next((k for k in chosen if k.active and k.last_used_at), None)
    homes = {}
    for i, key in enumerate(chosen):
        if key.revoked_at or not key.active or key is silent:
            continue  # the silent key: reported used by the inventory, absent from the logs
        homes[key.key_id] = HOMES[i % len(HOMES)]
        mean = rng.choice((8, 15, 25, 40))
        if not idle(key, end):  # a key the inventory reports idle gets no traffic of its own
            t.daily(key, mean, homes[key.key_id], 10 + i)
    if chosen:
        _inject(t, chosen, homes, end)
    _revoked(t, chosen, start, end)
    return sorted(t.events, key=lambda e: e["ts"])


def idle(key: KeyBase, end: datetime) -> bool:
    """An active key whose source reports its last use more than ``IDLE`` before end."""
    if not key.active or not last_use_recorded(key.attributes) or key.last_used_at is None:
        return False
    return ensure_utc(key.last_used_at) < end - IDLE


def _write_jsonl(path: Path, events: Sequence[Event]) -> Path:
    """Gzip JSON Lines, byte-identical for identical events (no gzip timestamp)."""
    body = "".join(json.dumps(e, separators=(",", ":")) + "\n" for e in events).encode()
    path.write_bytes(gzip.compress(body, mtime=0))
    return path


def write_demo_logs(
    out_dir: Path,
    keys: Sequence[KeyBase],
    start: datetime = DEMO_LOG_START,
    end: datetime = DEMO_AS_OF,
) -> list[Path]:
    """Write the demo quarter's logs for ``keys`` into ``out_dir``; return the files.

    Keys the inventory reports idle get no traffic: audits raise a key's last use to the
    logged one, and the demo's unused keys must stay unused.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    house = [k for k in keys if not (k.provider == "aws" and k.key_id.startswith("AKIA"))]
    paths = [_write_jsonl(out_dir / "api-access.jsonl.gz", house_events(house, start, end))]
    aws = [k for k in keys if k.provider == "aws" and not idle(k, end)]
    if any(k.key_id.startswith("AKIA") for k in aws):
        paths.append(write_cloudtrail(out_dir, aws, start, end))
    return paths
