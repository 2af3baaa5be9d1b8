"""The audit's scope and population: accounts and environments read, log days without events,
folders scanned (the methodology page's "what was covered")."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from toolkit.audit.result import AccountRecord, GapRecord, LogsSection, ScopeRecord
from toolkit.construct import trusted
from toolkit.models import KeyBase


def scope_section(
    keys: Sequence[KeyBase],
    logs: LogsSection | None,
    as_of: datetime,
    scan_roots: Sequence[str] | None,
) -> ScopeRecord:
    """Accounts, environments, log gaps and scan folders (None: no scan) of one run."""
    accounts = Counter((k.provider, k.account) for k in keys)
    environments = Counter(k.environment or "unknown" for k in keys)
    values = {
        "accounts": [
            trusted(AccountRecord, {"account": account, "keys": n, "provider": provider})
            for (provider, account), n in sorted(accounts.items(), key=_account_order)
        ],
        "environments": dict(sorted(environments.items())),
        "keys": len(keys),
        "log_gaps": log_gaps(logs, as_of) if logs is not None else [],
        "scan_roots": sorted(set(scan_roots or ())),
    }
    return trusted(ScopeRecord, values, in_order=True)


def _account_order(item: tuple[tuple[str, str | None], int]) -> tuple[str, str]:
    """Sort accounts by provider, then account (keys without one last)."""
    (provider, account), _n = item
    return provider, account if account is not None else "\uffff"


def log_gaps(logs: LogsSection, as_of: datetime) -> list[GapRecord]:
    """Runs of UTC days with no event, from the first logged day to the as-of day."""
    busy = {d.day for d in logs.events_daily if d.count > 0}
    if not logs.start or not busy:
        return []
    first = date.fromisoformat(logs.start[:10])
    last = (as_of - timedelta(microseconds=1)).date()  # an as-of at midnight ends the day before
    gaps: list[GapRecord] = []
    run: list[date] = []
    day = first
    while day <= last:
        if day.isoformat() in busy:
            gaps += _gap(run)
            run = []
        else:
            run.append(day)
        day += timedelta(days=1)
    return gaps + _gap(run)


def _gap(run: list[date]) -> list[GapRecord]:
    """One gap record for a run of empty days (none for an empty run)."""
    if not run:
        return []
    values = {"days": len(run), "first_day": run[0].isoformat(), "last_day": run[-1].isoformat()}
    return [trusted(GapRecord, values, in_order=True)]
