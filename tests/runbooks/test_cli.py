"""The incident commands as a user meets them: errors name the place, exit 2, change nothing."""

from __future__ import annotations

import json

import yaml

from tests.runbooks.conftest import Workspace
from tests.runbooks.test_answers_compromise import compromise_answers

OPENED = "2026-10-01T08:00:00Z"


def _open(workspace: Workspace, key: str = "prod-orders-api") -> str:
    """Open a key-compromise incident; its ref."""
    result = workspace.invoke("incident", "open", "key-compromise", "--key", key,
                              "--commander", "carol", "--as-of", OPENED)  # fmt: skip
    assert result.exit_code == 0, result.output
    return result.stdout.split(":")[0]


def _answers(workspace: Workspace, drop: str | None = None, **change: object) -> str:
    """An answers file for key-compromise, with one step left out or changed."""
    data = compromise_answers(workspace.folder)
    steps = data["steps"]
    assert isinstance(steps, dict)
    if drop:
        del steps[drop]
    steps.update(change)
    path = workspace.folder / "answers.yaml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


def test_unknown_key_is_one_line_and_exit_2(workspace: Workspace) -> None:
    result = workspace.invoke("incident", "open", "key-leakage", "--key", "no-such-key")
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: key no-such-key: not in the inventory"
    assert "INC-" not in workspace.invoke("incident", "list").stdout


def test_unknown_incident_type_names_the_known_ones(workspace: Workspace) -> None:
    result = workspace.invoke("incident", "open", "volcano", "--key", "prod-orders-api")
    assert result.exit_code == 2 and "key-compromise" in result.stderr


def test_missing_answer_names_the_step_and_keeps_what_was_done(workspace: Workspace) -> None:
    ref = _open(workspace)
    result = workspace.invoke(
        "incident", "run", ref, "--answers", _answers(workspace, drop="vector")
    )
    assert result.exit_code == 2
    assert "steps.vector: missing" in result.stderr and "Traceback" not in result.output
    status = json.loads(workspace.invoke("incident", "status", ref, "--json").stdout)
    assert status["current"] == "vector" and status["done"] == 8


def test_an_answer_of_the_wrong_type_is_refused(workspace: Workspace) -> None:
    ref = _open(workspace)
    bad = {"answers": {"severity": "P9", "summary": "x"}}
    result = workspace.invoke("incident", "run", ref, "--answers", _answers(workspace, triage=bad))
    assert result.exit_code == 2
    assert "steps.triage: answers.severity: choose one of P1, P2, P3, P4" in result.stderr


def test_close_is_refused_while_required_steps_are_open(workspace: Workspace) -> None:
    ref = _open(workspace)
    refused = workspace.invoke("incident", "close", ref)
    assert refused.exit_code == 2 and "required step(s) open" in refused.stderr
    forced = workspace.invoke("incident", "close", ref, "--force")
    assert forced.exit_code == 2 and "--reason" in forced.stderr
    closed = workspace.invoke("incident", "close", ref, "--force", "--reason", "false alarm")
    assert closed.exit_code == 0
    listed = json.loads(workspace.invoke("incident", "list", "--json").stdout)
    assert listed[0]["status"] == "closed" and listed[0]["close_reason"] == "false alarm"


def test_a_failed_action_is_retried_without_redoing_earlier_steps(workspace: Workspace) -> None:
    ref = _open(workspace)
    taken = workspace.folder / "taken.key"
    taken.write_text("someone else's file\n")
    answers = _answers(workspace, replace={"confirm": True, "out": str(taken)})
    failed = workspace.invoke("incident", "run", ref, "--answers", answers)
    assert failed.exit_code == 1
    assert "step replace failed" in failed.stderr and "--retry replace" in failed.stderr
    again = workspace.invoke("incident", "run", ref, "--answers", answers)
    assert again.exit_code == 1  # still failed: retrying needs --retry
    fixed = _answers(workspace, replace={"confirm": True, "out": str(workspace.folder / "ok.key")})
    retried = workspace.invoke("incident", "run", ref, "--answers", fixed, "--retry", "replace")
    assert retried.exit_code == 0, retried.output
    trail = json.loads(workspace.invoke("trail", "show", "--json").stdout)
    revoked = [
        e for e in trail if e["action"] == "incident.step.done" and e["payload"]["step"] == "revoke"
    ]
    assert len(revoked) == 1  # the step before it was not redone
    attempts = [e["payload"]["attempt"] for e in trail
                if e["action"].startswith("incident.step.")
                and e["payload"].get("step") == "replace"
                and e["action"] != "incident.step.started"]  # fmt: skip
    assert attempts == [1, 2]


def test_evidence_is_stored_read_only_by_digest_and_reverified(workspace: Workspace) -> None:
    ref = _open(workspace)
    shot = workspace.folder / "shot.png"
    shot.write_bytes(b"\x89PNG fake")
    added = workspace.invoke("incident", "evidence", "add", ref, str(shot), "--note", "the gist")
    assert added.exit_code == 0, added.output
    digest = added.stdout.split("sha256 ")[1].strip()
    stored = workspace.folder / "keyvigil-evidence" / "sha256" / digest[:2] / digest
    assert stored.read_bytes() == shot.read_bytes() and stored.stat().st_mode & 0o222 == 0
    listed = json.loads(workspace.invoke("incident", "evidence", "list", ref, "--json").stdout)
    assert listed[0]["intact"] is True and listed[0]["note"] == "the gist"
    stored.chmod(0o600)
    stored.write_bytes(b"tampered")
    listed = json.loads(workspace.invoke("incident", "evidence", "list", ref, "--json").stdout)
    assert listed[0]["intact"] is False


def test_roles_are_recorded_with_hand_over(workspace: Workspace) -> None:
    ref = _open(workspace)
    assert workspace.invoke("incident", "role", ref, "scribe", "dana").exit_code == 0
    assert workspace.invoke("incident", "role", ref, "commander", "erin").exit_code == 0
    bad = workspace.invoke("incident", "role", ref, "pilot", "frank")
    assert bad.exit_code == 2 and "not a role" in bad.stderr
    roles = json.loads(workspace.invoke("incident", "status", ref, "--json").stdout)["roles"]
    holders = {(r["role"], r["person"]): r["renounced_at"] for r in roles}
    assert holders[("commander", "carol")] is not None and holders[("commander", "erin")] is None
    assert ("scribe", "dana") in holders


def test_run_without_a_terminal_asks_for_an_answers_file(workspace: Workspace) -> None:
    ref = _open(workspace)
    result = workspace.invoke("incident", "run", ref)
    assert result.exit_code == 2 and "--answers FILE" in result.stderr


def test_status_shows_clocks_running(workspace: Workspace) -> None:
    ref = _open(workspace)
    result = workspace.invoke("incident", "status", ref, "--as-of", "2026-10-01T08:30:00Z")
    assert "revoke-immediately   running" in result.stdout and "30 min left" in result.stdout
    late = workspace.invoke("incident", "status", ref, "--as-of", "2026-10-01T10:00:00Z")
    assert "revoke-immediately   overdue" in late.stdout
