"""Management responses: ``finding respond`` -> trail -> next run's document and ``audit diff``."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func
from sqlmodel import select

from tests.audit.fixture import write_fixture
from toolkit.audit.response_record import ResponseBook, ResponseFacts
from toolkit.cli import cli
from toolkit.rules.policy import RemediationDays
from toolkit.store import open_store
from toolkit.store.tables import FindingResponse, TrailEntry
from toolkit.trail import verify

Q3 = "2026-10-01T00:00:00Z"
Q4 = "2026-11-01T00:00:00Z"


def kv(runner: CliRunner, db: str, *args: str) -> Result:
    """Run keyvigil on database ``db``."""
    return runner.invoke(cli, [*args, "--db", db], catch_exceptions=False)


def audit(runner: CliRunner, db: str, folder: Path, as_of: str) -> str:
    """``audit run`` over the fixture; the run id."""
    inventory, logs = write_fixture(folder)
    result = kv(
        runner, db, "audit", "run", "--inventory", str(inventory), "--logs", str(logs),
        "--as-of", as_of, "--format", "json", "--out", str(folder / "out"), "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return str(json.loads(result.stdout)["run"]["id"])


def findings(runner: CliRunner, db: str, run: str = "latest") -> dict[tuple[str, str], dict]:
    """``finding list --json`` keyed by (rule, subject)."""
    result = kv(runner, db, "finding", "list", run, "--json")
    assert result.exit_code == 0, result.stderr
    return {(f["rule_id"], f["subject"]): f for f in json.loads(result.stdout)}


def document(runner: CliRunner, db: str, run: str) -> dict:
    """The stored result document of ``run``."""
    result = kv(runner, db, "audit", "show", run, "--json")
    assert result.exit_code == 0, result.stderr
    return dict(json.loads(result.stdout)["result"])


def test_response_is_trailed_carried_to_the_next_run_and_diffed(
    runner: CliRunner, db_url: str, tmp_path: Path
) -> None:
    """Respond between two runs: the next run carries it, overdue; diff and trail show it."""
    first = audit(runner, db_url, tmp_path / "q3", Q3)
    listed = findings(runner, db_url)
    target = listed[("rotation-overdue", "k-prod-old")]
    days = RemediationDays().days(target["severity"])
    default = target["response"]
    assert (default["owner"], default["owner_from"], default["status"]) == ("orders", "key", "open")
    assert default["due"] == date.fromordinal(date(2026, 10, 1).toordinal() + days).isoformat()
    respond = kv(
        runner, db_url, "finding", "respond", target["id"][:10], "--owner", "alice",
        "--due", "2026-10-20", "--status", "in-progress", "--note", "Rotation booked for 10-19",
    )  # fmt: skip
    assert respond.exit_code == 0, respond.stderr
    assert f"finding {target['id']} (rotation-overdue on k-prod-old): in progress" in respond.stdout
    assert kv(runner, db_url, "trail", "verify").exit_code == 0

    second = audit(runner, db_url, tmp_path / "q4", Q4)
    doc = document(runner, db_url, second)
    (carried,) = [f for f in doc["findings"] if f["id"] == target["id"]]
    response = carried["response"]
    assert response["owner"] == "alice" and response["owner_from"] == "response"
    assert (response["due"], response["due_from"]) == ("2026-10-20", "response")
    assert response["status"] == "in_progress" and response["note"] == "Rotation booked for 10-19"
    assert response["first_found"] == "2026-10-01" and response["overdue"] is True
    assert response["responded_by"] == "tester"
    assert doc["summary"]["overdue"] >= 1 and doc["summary"]["responses"]["in_progress"] == 1
    overdue = kv(runner, db_url, "finding", "list", second, "--overdue", "--json")
    assert overdue.exit_code == 0, overdue.stderr
    listed_overdue = json.loads(overdue.stdout)
    assert target["id"] in {f["id"] for f in listed_overdue}
    assert all(f["response"]["overdue"] for f in listed_overdue)
    assert len(listed_overdue) == doc["summary"]["overdue"]

    diff = kv(runner, db_url, "audit", "diff", first, second)
    assert diff.exit_code == 0, diff.stderr
    short = f"response {target['id']} rotation-overdue k-prod-old"
    assert f"{short}: owner orders -> alice" in diff.stdout
    assert f"{short}: status open -> in progress" in diff.stdout
    assert f"{short}: note none -> 'Rotation booked for 10-19'" in diff.stdout
    assert f"{short}: overdue no -> yes" in diff.stdout
    assert "k-prod-old (due 2026-10-20, owner alice, in progress)" in diff.stdout
    data = json.loads(kv(runner, db_url, "audit", "diff", first, second, "--json").stdout)
    assert target["id"] in {f["id"] for f in data["overdue"]}
    assert {c["field"] for c in data["response_changes"] if c["id"] == target["id"]} == {
        "owner", "due", "status", "note", "overdue",
    }  # fmt: skip
    store = open_store(db_url)
    with store.session() as session:
        entries = session.exec(select(TrailEntry).where(TrailEntry.action == "finding.respond"))
        (entry,) = entries.all()
        assert json.loads(entry.payload)["finding_id"] == target["id"]
        assert verify(session).ok


def test_later_response_keeps_what_it_does_not_change(
    runner: CliRunner, sqlite_url: str, tmp_path: Path
) -> None:
    """Only --status given: owner, due and note stay; risk accepted with a note stops overdue."""
    audit(runner, sqlite_url, tmp_path / "q3", Q3)
    fid = findings(runner, sqlite_url)[("weak-key", "k-dev-weak")]["id"]
    args = ("finding", "respond", fid)
    assert kv(runner, sqlite_url, *args, "--owner", "bob", "--due", "2026-10-05").exit_code == 0
    assert kv(runner, sqlite_url, *args, "--status", "fixed").exit_code == 0
    accepted = kv(runner, sqlite_url, *args, "--status", "risk accepted", "--note", "sandbox only")
    assert accepted.exit_code == 0, accepted.stderr
    response = findings(runner, sqlite_url)[("weak-key", "k-dev-weak")]["response"]
    assert (response["owner"], response["due"], response["status"]) == (
        "bob", "2026-10-05", "risk_accepted",
    )  # fmt: skip
    assert response["note"] == "sandbox only" and response["overdue"] is False


BAD = [
    (["ffffffffffffffff", "--status", "fixed"], "Error: ID: no finding ffffffffffffffff"),
    (["not-an-id!", "--status", "fixed"], "Error: ID: not a finding id"),
    (["{id}", "--due", "31/12/2026"], "Error: --due: not a date (expected YYYY-MM-DD"),
    (["{id}", "--due", "2026-02-30"], "Error: --due: not a date"),
    (["{id}", "--status", "done"], "Error: --status: expected one of open, in-progress, fixed"),
    (["{id}", "--status", "risk-accepted"], "Error: --note: required with --status risk-accepted"),
    (["{id}", "--owner", "  "], "Error: --owner: must not be blank"),
    (["{id}"], "Error: finding respond: give at least one of --owner, --due, --status, --note"),
]


@pytest.mark.parametrize(("args", "message"), BAD)
def test_bad_input_is_one_line_exit_2_and_changes_nothing(
    runner: CliRunner, sqlite_url: str, tmp_path: Path, args: list[str], message: str
) -> None:
    """Unknown id, bad date, bad status, risk accepted without a note: exit 2, nothing stored."""
    audit(runner, sqlite_url, tmp_path / "q3", Q3)
    fid = findings(runner, sqlite_url)[("weak-key", "k-dev-weak")]["id"]
    store = open_store(sqlite_url)
    with store.session() as session:
        trail_before = session.exec(select(func.count()).select_from(TrailEntry)).one()
    result = kv(runner, sqlite_url, "finding", "respond", *[a.format(id=fid) for a in args])
    assert result.exit_code == 2
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.output
    with store.session() as session:
        assert session.exec(select(func.count()).select_from(FindingResponse)).one() == 0
        assert session.exec(select(func.count()).select_from(TrailEntry)).one() == trail_before


AS_OF = datetime(2026, 10, 1, tzinfo=UTC)


def book(**facts: object) -> ResponseBook:
    """A book holding one stored response for finding ``f1`` (none when ``facts`` is empty)."""
    stored = {"f1": ResponseFacts(**facts)} if facts else {}  # type: ignore[arg-type]
    return ResponseBook(AS_OF, RemediationDays(), stored, {"f1": datetime(2026, 9, 1, tzinfo=UTC)})


def test_default_due_counts_from_the_first_run_that_found_it() -> None:
    """No response: first found 2026-09-01 + 30 days for high; a day late is overdue."""
    high = book().record("f1", "high", "team", waived=False)
    assert (high.due, high.due_from, high.first_found) == ("2026-10-01", "policy", "2026-09-01")
    assert high.overdue is False  # due on the as-of date itself: not yet late
    critical = book().record("f1", "critical", "team", waived=False)
    assert (critical.due, critical.overdue, critical.owner_from) == ("2026-09-08", True, "key")
    assert book().record("f1", "critical", "team", waived=True).overdue is False
    assert book().record("f1", "critical", None, waived=False).owner is None


@pytest.mark.parametrize(
    ("status", "responded", "overdue", "contradicted"),
    [
        ("in_progress", datetime(2026, 9, 20, tzinfo=UTC), True, False),
        ("risk_accepted", datetime(2026, 9, 20, tzinfo=UTC), False, False),
        ("fixed", datetime(2026, 10, 2, tzinfo=UTC), False, False),  # fixed after the as-of
        ("fixed", datetime(2026, 9, 20, tzinfo=UTC), True, True),  # fixed, yet still found
    ],
)
def test_overdue_by_status(
    status: str, responded: datetime, overdue: bool, contradicted: bool
) -> None:
    """Past due: open work is overdue; accepted risk is not; a fix this run contradicts is."""
    record = book(
        status=status, responded_at=responded, responded_by="m", due=date(2026, 9, 30)
    ).record("f1", "low", "team", waived=False)
    assert (record.overdue, record.fixed_but_found, record.due_from) == (
        overdue,
        contradicted,
        "response",
    )
