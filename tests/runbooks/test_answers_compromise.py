"""key-compromise from an answers file: a revoked key still used, down to the PDF."""

from __future__ import annotations

import json
import re
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from tests.runbooks.conftest import Workspace
from tests.runbooks.helpers import count_events, pdf_attachment, pdf_text

KEY = "prod-revoked-rotated"


def compromise_answers(folder: Path) -> dict[str, object]:
    """Answers for every step of key-compromise (a GDPR notification made in time)."""
    (folder / "export.txt").write_text("events of prod-revoked-rotated after its revocation\n")
    return {"steps": {
        "inputs": {"answers": {"exposure_start": "2026-08-25T00:00:00Z", "detected_by": "alert"}},
        "brief": {"ack": True, "at": "2026-10-01T08:05:00Z"},
        "triage": {"answers": {"severity": "P2", "summary": "revoked key still used"}},
        "revoke": {"confirm": True, "at": "2026-10-01T08:20:00Z"},
        "replace": {"confirm": True, "out": str(folder / "new.key")},
        "update-systems": {"items": {
            "secret-manager": True, "consumers": True, "old-rejected": True}},
        "document": {"answers": {"what_happened": "used after revocation", "systems": "billing"}},
        "access-review": {},
        "vector": {"answers": {"vector": "laptop", "details": "retired laptop"}},
        "impact": {"answers": {"data_accessed": "orders", "personal_data": True, "phi": False,
                               "phi_residents_in_state": 0, "cardholder_data": False,
                               "material": False}},
        "related-keys": {},
        "contain-related": {"items": {"owners-told": True, "revoked": True}},
        "evidence": {"files": [{"path": str(folder / "export.txt"), "note": "log export"}]},
        "notify-authority": {"recipient": "CNIL", "sent_at": "2026-10-02T09:00:00Z",
                             "reference": "CNIL-2026-118"},
        "notify-stakeholders": {"recipient": "security team", "sent_at": "2026-10-01T10:00:00Z",
                                "reference": "SEC-7"},
        "rotate-environment": {},
        "password-resets": {"skip": "no interactive accounts behind this key"},
        "monitoring": {"items": {"alerts": True, "addresses": True, "review-date": True}},
        "update-procedures": {"answers": {"lessons": "check revocation at the provider",
                                          "changes": "provider check added to the runbook"}},
    }}  # fmt: skip


def test_key_compromise_from_an_answers_file(workspace: Workspace) -> None:
    answers = workspace.folder / "answers.yaml"
    answers.write_text(yaml.safe_dump(compromise_answers(workspace.folder)))
    opened = workspace.invoke("incident", "open", "key-compromise", "--key", KEY,
                              "--detected-at", "2026-09-30T18:00:00Z",
                              "--as-of", "2026-10-01T08:00:00Z")  # fmt: skip
    ref = opened.stdout.split(":")[0]
    logs = [a for p in workspace.logs for a in ("--logs", str(p))]
    run = workspace.invoke("incident", "run", ref, "--answers", str(answers), *logs,
                           "--as-of", "2026-10-01T08:30:00Z")  # fmt: skip
    assert run.exit_code == 0, run.output
    assert "every step is recorded" in run.stderr
    key_file = workspace.folder / "new.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    _marked_keys_lead_the_rotation_schedule(workspace, ref)
    closed = workspace.invoke("incident", "close", ref, "--as-of", "2026-10-03T12:00:00Z")
    assert closed.exit_code == 0, closed.output
    out = workspace.folder / "compromise.pdf"
    written = workspace.invoke("incident", "report", ref, "--out", str(out))
    assert written.exit_code == 0, written.output
    text = pdf_text(out)
    _matches_the_logs(text, workspace)
    _clocks_and_timeline(text)
    data = json.loads(pdf_attachment(out, "incident.json"))
    assert data["related"]["related"][0]["key_id"] == "prod-revoked-no-reason"
    assert [m["text"] for m in data["metrics"]] == [
        "36 d 18 h",  # exposure start 25 Aug -> detected 30 Sep 18:00
        "none: revoked 30 d 8 h before aware",  # the inventory had revoked it on 1 Sep
        "7 d 0 h",  # exposure start -> revocation
        "2 d 4 h",  # opened 1 Oct 08:00 -> closed 3 Oct 12:00
    ]
    assert key_file.read_text().strip() not in text + json.dumps(data)


def _marked_keys_lead_the_rotation_schedule(workspace: Workspace, ref: str) -> None:
    """The keys the runbook marked for rotation are due at once in ``keys schedule``, naming
    the incident; rotating one (its revocation then scheduled) takes it off the request."""

    def schedule() -> list[dict[str, Any]]:
        shown = workspace.invoke("keys", "schedule", "--json", "--as-of", "2026-10-03T00:00:00Z")
        return list(json.loads(shown.stdout))

    marked = [r for r in schedule() if r["rotation_requested_by"] == ref]
    assert marked and {r["environment"] for r in marked} == {"prod"}
    for row in marked:  # due when the step ran (or earlier, by policy): overdue now
        assert row["next_rotation"] <= row["rotation_requested_at"] < "2026-10-03T00:00:00Z"
        assert row["overdue_days"] is not None
    first = marked[0]["key_id"]
    rotated = workspace.invoke("keys", "rotate", first, "--out", str(workspace.folder / "r.key"),
                               "--as-of", "2026-10-02T12:00:00Z")  # fmt: skip
    assert rotated.exit_code == 0, rotated.output
    after = {r["key_id"]: r for r in schedule()}
    assert after[first]["rotation_requested_by"] is None and after[first]["revocation_due"]


def _matches_the_logs(text: str, workspace: Workspace) -> None:
    """The access review's numbers are the demo logs' numbers."""
    revoked = datetime(2026, 9, 1, tzinfo=UTC)  # the inventory's revocation: it stays first
    facts = count_events(workspace.logs, KEY, datetime(2026, 8, 25, tzinfo=UTC), revoked)
    assert facts.window == 0 and facts.after == 30
    ip, count = facts.ips.most_common(1)[0]
    assert re.search(rf"after revocation {facts.after} \(20 successful\)", text, re.IGNORECASE)
    assert re.search(rf"{re.escape(ip)} {facts.countries[ip]} {count} 10 ", text)
    assert "prod-revoked-no-reason 88.198.50.9 30 12 Sep 2026" in text.replace(
        "no- reason", "no-reason"
    )


def _clocks_and_timeline(text: str) -> None:
    """GDPR met (notified within 72 h), PCI and HIPAA not applicable, revocation on time."""
    assert re.search(
        r"personal data breach .{0,160}? MET 1 Oct 2026 08:00 UTC 4 Oct 2026 08:00", text
    )
    assert re.search(r"Activate the incident response plan.{0,200}?NOT APPLICABLE", text)
    assert re.search(r"Revoke the compromised key .{0,160}? MET 1 Oct 2026 08:00 UTC", text)
    assert "done 1 d 23 h before the deadline" in text
    assert "Notified: CNIL (supervisory authority), ref CNIL-2026-118" in text
    assert "Skipped: Force password resets where applicable - no interactive accounts" in text
    assert "Lessons learned check revocation at the provider" in text
    timeline = text[text.index("What happened, in order".upper()) :]
    assert timeline.index("1 Oct 2026 08:05 UTC") < timeline.index("1 Oct 2026 08:20 UTC")
    assert "(due 4 Oct 2026 08:00 UTC)" in timeline  # the clocks' due times, in words too
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?(\.\d+)?(Z|[+-]\d\d)", text)
