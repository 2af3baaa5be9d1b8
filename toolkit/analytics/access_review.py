"""Access review of one key over an exposure window, built on the log backend's key activity.

What the key did between exposure start and revocation, what it did after revocation, and which
other keys were used from the addresses the key had not used before the exposure. Sources,
actions and related keys cover everything from the exposure start on, use after revocation
included: an attacker's address often shows only there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from toolkit.analytics.evidence import KeyWindow
from toolkit.analytics.interface import LogBackend

BASELINE_DAYS = 30
"""How far before the exposure a key's usual addresses are taken from."""


@dataclass(frozen=True)
class SourceUse:
    """The key's events from one source address, from the exposure start on."""

    ip: str
    country: str | None
    events: int
    failures: int
    first: datetime
    last: datetime
    new: bool
    """Not used by the key in the baseline before the exposure: suspicious."""


@dataclass(frozen=True)
class ActionUse:
    """The key's events for one action (endpoint or API call), from the exposure start on."""

    action: str
    events: int
    failures: int


@dataclass(frozen=True)
class RelatedKey:
    """Another key used from one of the suspicious addresses, from the exposure start on."""

    key_id: str
    ips: tuple[str, ...]
    events: int
    first: datetime
    last: datetime


@dataclass(frozen=True)
class AccessReview:
    """Everything the logs show about one key from exposure start to revocation (or as-of)."""

    key_id: str
    start: datetime
    end: datetime
    revoked_at: datetime | None
    baseline_days: int
    events: int
    successes: int
    failures: int
    first_use: datetime | None
    last_use: datetime | None
    after_revocation: int
    after_revocation_successes: int
    after_revocation_first: datetime | None
    after_revocation_last: datetime | None
    sources: tuple[SourceUse, ...]
    actions: tuple[ActionUse, ...]
    related: tuple[RelatedKey, ...]

    @property
    def suspicious_ips(self) -> tuple[str, ...]:
        """Addresses the key had not used in the baseline."""
        return tuple(source.ip for source in self.sources if source.new)


def _one(backend: LogBackend, key_id: str, start: datetime, end: datetime) -> KeyWindow:
    """The key's activity in ``[start, end]``."""
    return backend.key_activity([key_id], start, end, source_ips=()).keys[0]


def review_key_access(
    backend: LogBackend,
    key_id: str,
    start: datetime,
    end: datetime,
    revoked_at: datetime | None,
    logs_end: datetime,
    baseline_days: int = BASELINE_DAYS,
) -> AccessReview:
    """The access review of ``key_id``: window ``[start, end]``, everything up to ``logs_end``."""
    last = max(end, logs_end)
    window = _one(backend, key_id, start, end)
    usual = {
        s.source_ip
        for s in _one(backend, key_id, start - timedelta(days=baseline_days), start).sources
    }
    since = _one(backend, key_id, start, last)
    sources = tuple(
        SourceUse(s.source_ip, s.country, s.events, s.auth_failures + s.denied, s.first_use,
                  s.last_use, s.source_ip not in usual)
        for s in since.sources if s.source_ip
    )  # fmt: skip
    suspicious = [s.ip for s in sources if s.new]
    related: tuple[RelatedKey, ...] = ()
    if suspicious:
        found = backend.key_activity([key_id], start, last, source_ips=suspicious).related
        related = tuple(RelatedKey(r.key_id, r.source_ips, r.events, r.first_use, r.last_use)
                        for r in found)  # fmt: skip
    after = _one(backend, key_id, revoked_at, last) if revoked_at and revoked_at <= last else None
    return AccessReview(
        key_id, start, end, revoked_at, baseline_days,
        window.events, window.successes, window.events - window.successes,
        window.first_use, window.last_use,
        after.events if after else 0, after.successes if after else 0,
        after.first_use if after else None, after.last_use if after else None,
        sources,
        tuple(ActionUse(a.action or "(none)", a.events, a.failures) for a in since.actions),
        related,
    )  # fmt: skip
