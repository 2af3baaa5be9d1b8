"""SIGKILL mid-step, then run again: it resumes at that step, nothing lost or doubled."""

from __future__ import annotations

import signal

from sqlalchemy import create_engine, text

from tests.runbooks.conftest import Workspace
from tests.runbooks.terminal import Answer, drive, spawn

NOW = "2026-10-01T09:00:00Z"


def answers(workspace: Workspace) -> list[tuple[str, Answer]]:
    """A commander's replies for key-compromise (no notification due)."""
    evidence = workspace.folder / "export.txt"
    evidence.write_text("export\n")
    return [
        (r"Earliest time", "2026-09-20T00:00:00Z"),
        (r"How was the compromise detected", "alert"),
        (r"Acknowledged\?", ""),
        (r"^Severity", "P3"),
        (r"One line describing", "suspicious use"),
        (r"now\? \[Y/n\]", ""),
        (r"File for the new key value", str(workspace.folder / "new.key")),
        (r"done\? \[Y/n\]", ""),
        (r"How did the key get out", "unknown"),
        (r"personal data|protected health|cardholder|material", "no"),
        (r"residents of any one state", "0"),
        (r"Enter when done", ""),
        (r"Log export", str(evidence)),
        (r"Notified whom", "security team"),
        (r"Sent at", ""),
        (r"Reference|note for this file", "SEC-9"),
        (r".", "noted"),
    ]


def _run(workspace: Workspace, ref: str) -> list[str]:
    """The command line of ``incident run`` on the workspace."""
    logs = [a for p in workspace.logs for a in ("--logs", str(p))]
    return ["incident", "run", ref, "--db", str(workspace.db), "--as-of", NOW, *logs]


def test_sigkill_mid_step_resumes_at_that_step(workspace: Workspace) -> None:
    opened = workspace.invoke("incident", "open", "key-compromise", "--key", "prod-orders-api",
                              "--as-of", "2026-10-01T08:50:00Z")  # fmt: skip
    ref = opened.stdout.split(":")[0]
    child = spawn(_run(workspace, ref), workspace.folder)
    first = drive(child, answers(workspace), stop_after=r"Replacement stored in the secret manager")
    child.expect(r"Every service that used the key now reads the replacement - done\? \[Y/n\]: ")
    child.kill(signal.SIGKILL)  # in the middle of the checklist: one item ticked, one asked
    child.close()
    assert child.signalstatus == signal.SIGKILL
    assert "Generate the replacement key" in first.transcript

    again = spawn(_run(workspace, ref), workspace.folder)
    second = drive(again, answers(workspace))
    assert second.exit_status == 0, second.transcript[-2000:]
    assert (
        "Update all affected systems" in second.prompts[0] or "Every service" in second.prompts[0]
    )
    assert not any("Replacement stored" in p for p in second.prompts)  # the tick was kept
    assert not any("Generate the replacement key" in p for p in second.prompts)

    engine = create_engine(f"sqlite:///{workspace.db}")
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT step_id, attempt, status, output FROM step_records")
        ).all()
        replacements = connection.execute(
            text("SELECT count(*) FROM keys WHERE replaces = 'prod-orders-api'")
        ).scalar_one()
    engine.dispose()
    assert len({(r[0], r[1]) for r in rows}) == len(rows)
    (update,) = [r for r in rows if r[0] == "update-systems"]
    assert update[2] == "done" and '"secret-manager": true' in update[3]
    assert replacements == 1
    verify = workspace.invoke("trail", "verify")
    assert verify.exit_code == 0, verify.output
