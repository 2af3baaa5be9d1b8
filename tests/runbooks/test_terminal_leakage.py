"""The whole key-leakage playbook driven through a real pseudo-terminal, down to the PDF."""

from __future__ import annotations

import hashlib
import json
import random
import re
import string
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.runbooks.conftest import Workspace
from tests.runbooks.helpers import count_events, pdf_attachment, pdf_text
from tests.runbooks.terminal import Answer, drive, spawn
from tests.test_canary import canary_hits

EXPOSED = "2026-09-24T08:00:00Z"
NOW = "2026-10-01T08:30:00Z"
KEY = "prod-gateway-v1"


def answers(evidence: Path, repo: Path) -> list[tuple[str, Answer]]:
    """What the commander types at each prompt (pattern found in the prompt -> answer)."""
    return [
        (r"first exposed|Earliest time", EXPOSED),
        (r"Where was it exposed", "public gist by a contractor"),
        (r"Could anyone outside", "yes"),
        (r"Acknowledged\?", ["?", ""]),
        (r"^Severity", "P2"),
        (r"One line describing", "prod-gateway-v1 pasted in a public gist"),
        (r"Services that depend", "gateway, checkout"),
        (r"now\? \[Y/n\]", ""),
        (r"File for the new key value", ""),
        (r"folder to scan", str(repo)),
        (r"Password|password", "skip"),
        (r"Reason for skipping", "no interactive accounts behind this key"),
        (r"done\? \[Y/n\]", ""),
        (r"Kind of place", "documentation"),
        (r"Exact place", "gist 4f2a, line 12"),
        (r"Copies that may exist", "one fork"),
        (r"personal data", "yes"),
        (r"How was the compromise detected", "secret-scan"),
        (r"How did the key get out", "public-repository"),
        (r"Where exactly", "gist 4f2a"),
        (r"Data and resources", "orders and customer names"),
        (r"protected health", "no"),
        (r"residents of any one state", ""),
        (r"cardholder", "no"),
        (r"material", "no"),
        (r"Enter when done", ""),
        (r"Log export", str(evidence)),
        (r"note for this file", "gist screenshot"),
        (r"Notified whom \(supervisory", "CNIL"),
        (r"Notified whom", "security team"),
        (r"Sent at", ""),
        (r"Reference", "REF-42"),
        (r"What happened so far|Systems and services|Lessons learned|Procedure changes", "noted"),
    ]


def test_key_leakage_on_a_terminal_end_to_end(workspace: Workspace) -> None:
    db = str(workspace.db)
    opened = workspace.invoke("incident", "open", "key-leakage", "--key", KEY,
                              "--detected-at", "2026-09-30T16:40:00Z", "--as-of", NOW)  # fmt: skip
    assert opened.exit_code == 0, opened.output
    ref = opened.stdout.split(":")[0]
    evidence = workspace.folder / "gist.txt"
    evidence.write_text("screenshot of the gist\n")
    repo = workspace.folder / "repo"
    repo.mkdir()
    token = "ghp_" + "".join(random.Random(7).choices(string.ascii_letters + string.digits, k=36))
    (repo / "settings.py").write_text(f'GITHUB_TOKEN = "{token}"\n')
    logs = [a for p in workspace.logs for a in ("--logs", str(p))]
    args = ["incident", "run", ref, "--db", db, "--as-of", NOW, "--actor", "alice", *logs]
    child = spawn(args, workspace.folder)
    session = drive(child, answers(evidence, repo))
    assert session.exit_status == 0, session.transcript[-2000:]
    assert "every step is recorded" in session.transcript
    assert "Bring in the key owner" in session.transcript  # '?' showed the step's guidance
    assert any("Severity [P1/P2/P3/P4]" in p for p in session.prompts)  # choices shown
    assert "Handing over to playbook key-compromise" in session.transcript
    (value,) = session.values  # shown exactly once
    assert session.transcript.count(value) == 1

    out = workspace.folder / "leak.pdf"
    closed = workspace.invoke("incident", "close", ref, "--as-of", "2026-10-01T11:00:00Z")
    assert closed.exit_code == 0, closed.output
    written = workspace.invoke("incident", "report", ref, "--out", str(out), "--as-of", NOW)
    assert written.exit_code == 0, written.output
    report = pdf_text(out)
    _check_report(report, workspace)
    data = json.loads(pdf_attachment(out, "incident.json"))
    assert data["incident"]["ref"] == ref and data["access_review"]["misuse_suspected"] is True

    verify = workspace.invoke("trail", "verify")
    assert verify.exit_code == 0, verify.output
    hits = canary_hits([value], texts=[report, written.output, closed.output],
                       paths=[workspace.folder], db_url=f"sqlite:///{db}")  # fmt: skip
    hits += canary_hits([token], texts=[report, session.transcript], db_url=f"sqlite:///{db}")
    assert not hits, hits
    _no_duplicates(db)


def _check_report(report: str, workspace: Workspace) -> None:
    """Timeline, clocks and access review agree with the demo logs counted independently."""
    start = datetime(2026, 9, 24, 8, tzinfo=UTC)
    revoked = datetime(2026, 10, 1, 8, 30, tzinfo=UTC)
    facts = count_events(workspace.logs, KEY, start, revoked)
    assert facts.ips["177.67.80.14"] == 12 and facts.countries["177.67.80.14"] == "BR"
    assert re.search(rf"events in the window {facts.window} ", report, re.IGNORECASE)
    assert "177.67.80.14 BR 12 0 25 Sep 2026 13:00 UTC 26 Sep 2026 00:00 UTC" in report
    assert "Misuse suspected: 1 new source address" in report
    assert re.search(r"Revoke the leaked key .{0,120} MET 1 Oct 2026 08:30 UTC", report)
    assert "Notify the supervisory authority of a personal data breach" in report
    assert "Skipped: Force password resets where applicable - no interactive accounts" in report
    assert "Decision: Was the key misused? - misuse found - hand over to key-compromise" in report
    assert "Incident opened for key prod-gateway-v1" in report
    scan = (
        "Search the codebase for other leaked secrets - 1 finding(s) in 1 file(s): secret-in-code 1"
    )
    assert scan in report.replace("secret-in- code", "secret-in-code")
    digest = hashlib.sha256(b"screenshot of the gist\n").hexdigest()
    assert re.search(r"gist\.txt gist screenshot [0-9a-f ]{64,66} .{0,60}VERIFIED", report)
    assert digest in report.replace(" ", "")


def _no_duplicates(db: str) -> None:
    """One record per step attempt, every record finished."""
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT step_id, attempt, status FROM step_records")).all()
    engine.dispose()
    assert len({(r[0], r[1]) for r in rows}) == len(rows)
    assert {r[2] for r in rows} <= {"done", "skipped", "not_applicable", "not_run"}
