"""The methodology page's scope: accounts, environments, extraction warnings, log gaps, scans."""

from __future__ import annotations

from datetime import UTC, datetime

from toolkit.audit.inputs import shown_roots
from toolkit.audit.result import DayCount, InputFile, LogsSection
from toolkit.audit.scope import log_gaps, scope_section
from toolkit.models import KeyBase
from toolkit.reports.scope import extraction_note

AS_OF = "2026-10-01T00:00:00Z"


def _inventory(at: str, basis: str) -> InputFile:
    """An inventory input extracted at ``at``."""
    return InputFile(
        kind="inventory",
        name="keys.csv",
        path="keys.csv",
        reader="house-csv",
        records=3,
        sha256="0" * 64,
        extracted_at=at,
        extracted_basis=basis,  # type: ignore[arg-type]
    )


def test_extraction_long_before_or_after_the_as_of_is_flagged() -> None:
    """Within a week either side: no note; earlier or later: a note saying why it matters."""
    assert extraction_note(_inventory("2026-09-30T22:00:00Z", "stated in the file"), AS_OF) is None
    before = extraction_note(_inventory("2026-08-01T00:00:00Z", "file modification time"), AS_OF)
    assert before is not None and before.startswith("extracted 61 days before the as-of")
    after = extraction_note(_inventory("2026-11-01T00:00:00Z", "stated in the file"), AS_OF)
    assert after is not None and after.startswith("extracted 31 days after the as-of")
    imported = extraction_note(_inventory("2026-11-01T00:00:00Z", "import time"), AS_OF)
    assert imported is not None and "when it was extracted is not known" in imported


def _logs(days: list[str]) -> LogsSection:
    """A logs section with events on ``days``."""
    return LogsSection(
        start=f"{days[0]}T05:00:00Z",
        end=f"{days[-1]}T05:00:00Z",
        events=len(days),
        events_daily=[DayCount(day=d, count=1) for d in days],
        failed_auth_daily=[],
        skipped=0,
        sources=[],
    )


def test_log_gaps_are_runs_of_days_without_events_up_to_the_as_of() -> None:
    """A missing day, a missing pair, and the silent days before the as-of (midnight: excluded)."""
    logs = _logs(["2026-09-20", "2026-09-22", "2026-09-25", "2026-09-28"])
    gaps = [
        (g.first_day, g.last_day, g.days) for g in log_gaps(logs, datetime(2026, 10, 1, tzinfo=UTC))
    ]
    assert gaps == [
        ("2026-09-21", "2026-09-21", 1),
        ("2026-09-23", "2026-09-24", 2),
        ("2026-09-26", "2026-09-27", 2),
        ("2026-09-29", "2026-09-30", 2),
    ]


def test_scope_counts_accounts_environments_and_scan_folder_names() -> None:
    """Accounts by provider (none last), environments with 'unknown', scan roots once each."""
    keys = [
        KeyBase(key_id="a", provider="aws", account="111122223333", environment="prod"),
        KeyBase(key_id="b", provider="aws", account="111122223333", environment="prod"),
        KeyBase(key_id="c", provider="gcp", account="acme-staging", environment="staging"),
        KeyBase(key_id="d", provider="house"),
    ]
    as_of = datetime(2026, 10, 1, tzinfo=UTC)
    scope = scope_section(keys, None, as_of, ["srv/conf", "srv/app", "srv/app"])
    assert [(a.provider, a.account, a.keys) for a in scope.accounts] == [
        ("aws", "111122223333", 2),
        ("gcp", "acme-staging", 1),
        ("house", None, 1),
    ]
    assert scope.environments == {"prod": 2, "staging": 1, "unknown": 1}
    assert scope.keys == 4 and scope.log_gaps == []
    assert scope.scan_roots == ["srv/app", "srv/conf"]


def test_scanned_folders_are_shown_from_the_folder_they_share() -> None:
    """Never the auditing machine's absolute path: from the shared folder's name on."""
    roots = ["/srv/x/service/app", "/srv/x/service/etc/app", "/srv/x/service/var/log/app"]
    assert shown_roots(roots) == ["service/app", "service/etc/app", "service/var/log/app"]
    assert shown_roots(["/srv/x/app"]) == ["app"]
