"""The tour's incident: prod-gateway-v1 leaked in a public gist, worked from an answers file.

The access review finds its use from a new address (Brazil), so the leakage playbook hands
over to key-compromise; the GDPR notification is made within its 72 hours.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from toolkit.demo.tour import Step

KEY = "prod-gateway-v1"
OPENED = "2026-10-01T08:30:00Z"
DETECTED = "2026-09-30T16:40:00Z"
CLOSED = "2026-10-03T16:00:00Z"
ANSWERS = "incident-answers.yaml"
REPLACEMENT = "replacement.key"


def typed(path: Path) -> str:
    """A path as the commander would type it: relative to the working folder when inside it
    (the report then shows ``demo-out/inputs/...``, not where the checkout happens to be)."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def _leakage(folder: Path, scan_path: Path) -> dict[str, Any]:
    """Answers for the leakage playbook's own steps."""
    return {
        "inputs": {"at": "2026-10-01T08:31:00Z", "answers": {
            "exposure_start": "2026-09-24T08:00:00Z",
            "location": "public gist by a contractor (gist 4f2a, line 12)", "public": True}},
        "brief": {"at": "2026-10-01T08:32:00Z", "ack": True},
        "triage": {"at": "2026-10-01T08:34:00Z", "answers": {
            "severity": "P2", "summary": "prod-gateway-v1 pasted in a public gist",
            "dependents": "gateway, checkout"}},
        "revoke": {"at": "2026-10-01T08:41:00Z", "confirm": True},
        "replace": {"at": "2026-10-01T08:44:00Z", "confirm": True,
                    "out": str(folder / REPLACEMENT)},
        "scan-target": {"at": "2026-10-01T08:50:00Z", "answers": {"path": typed(scan_path)}},
        "secret-scan": {"at": "2026-10-01T08:52:00Z"},
        "rotate-exposed": {"at": "2026-10-01T09:30:00Z",
                           "items": {"same-place": True, "reachable": True}},
        "leak-source": {"at": "2026-10-01T10:05:00Z", "answers": {
            "source": "documentation", "details": "setup notes pasted into a public gist"}},
        "exposure": {"at": "2026-10-01T10:20:00Z", "answers": {
            "copies": "one fork of the gist", "personal_data": True}},
        "access-review": {"at": "2026-10-01T10:30:00Z"},
        "related-keys": {"at": "2026-10-01T10:31:00Z"},
        "misuse": {"at": "2026-10-01T10:32:00Z"},
        "escalate": {"at": "2026-10-01T10:32:00Z"},
    }  # fmt: skip


def _compromise(folder: Path) -> dict[str, Any]:
    """Answers for the key-compromise steps the hand-over brings in (``escalate/...``)."""
    steps = {
        "inputs": {"at": "2026-10-01T10:35:00Z", "answers": {
            "exposure_start": "2026-09-24T08:00:00Z", "detected_by": "secret-scan"}},
        "brief": {"at": "2026-10-01T10:36:00Z", "ack": True},
        "triage": {"at": "2026-10-01T10:40:00Z", "answers": {
            "severity": "P1", "summary": "prod-gateway-v1 used from Brazil after a public leak"}},
        "revoke": {"at": "2026-10-01T10:41:00Z", "confirm": True},
        "replace": {"at": "2026-10-01T10:41:00Z", "confirm": True},
        "update-systems": {"at": "2026-10-01T11:30:00Z", "items": {
            "secret-manager": True, "consumers": True, "old-rejected": True, "pipelines": True}},
        "document": {"at": "2026-10-01T11:45:00Z", "answers": {
            "what_happened": "12 successful calls from 177.67.80.14 (BR) on 25-26 Sep",
            "systems": "gateway, checkout"}},
        "access-review": {"at": "2026-10-01T11:50:00Z"},
        "vector": {"at": "2026-10-01T12:10:00Z", "answers": {
            "vector": "third-party", "details": "contractor's public gist"}},
        "impact": {"at": "2026-10-01T14:00:00Z", "answers": {
            "data_accessed": "orders and customer names", "personal_data": True, "phi": False,
            "phi_residents_in_state": 0, "cardholder_data": False, "material": False}},
        "related-keys": {"at": "2026-10-01T14:05:00Z"},
        "evidence": {"at": "2026-10-01T14:20:00Z", "files": [
            {"path": str(folder / "gist-capture.txt"), "note": "capture of the public gist"}]},
        "notify-authority": {"at": "2026-10-02T15:00:00Z", "recipient": "CNIL",
                             "sent_at": "2026-10-02T15:00:00Z", "reference": "CNIL-2026-0412"},
        "notify-stakeholders": {"at": "2026-10-01T14:30:00Z",
                                "recipient": "security and gateway team",
                                "sent_at": "2026-10-01T14:30:00Z", "reference": "SEC-2026-88"},
        "rotate-environment": {"at": "2026-10-01T15:00:00Z"},
        "password-resets": {"at": "2026-10-01T15:05:00Z",
                            "skip": "the gateway key has no interactive accounts behind it"},
        "monitoring": {"at": "2026-10-01T15:20:00Z", "items": {
            "alerts": True, "addresses": True, "review-date": True}},
        "update-procedures": {"at": "2026-10-02T10:00:00Z", "answers": {
            "lessons": "Setup notes must never carry live keys; scan gists of contractors too",
            "changes": "secret scanning on documentation repositories (owner: platform, 15 Oct)"}},
    }  # fmt: skip
    return {f"escalate/{key}": value for key, value in steps.items()}


def _recovery() -> dict[str, Any]:
    """Answers for the leakage playbook's steps after the hand-over."""
    return {
        "notify-stakeholders": {"at": "2026-10-02T16:00:00Z", "recipient": "contractor manager",
                                "sent_at": "2026-10-02T16:00:00Z", "reference": "VEND-311"},
        "access-controls": {"at": "2026-10-03T09:00:00Z",
                            "items": {"scopes": True, "repo-access": True}},
        "practices": {"at": "2026-10-03T10:00:00Z", "items": {
            "pre-commit": True, "push-protection": True, "history": False, "alert-closed": True}},
        "training": {"at": "2026-10-03T14:00:00Z", "items": {"session": True}},
        "lessons": {"at": "2026-10-03T15:00:00Z", "answers": {
            "lessons": "Contractors' public gists are in scope for secret scanning"}},
    }  # fmt: skip


def write_incident_inputs(folder: Path, scan_path: Path) -> Path:
    """Write the answers file and the evidence it names; remove a replacement key file left over."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / REPLACEMENT).unlink(missing_ok=True)  # the demo's own file from an earlier tour
    (folder / "gist-capture.txt").write_text(
        "gist 4f2a (captured 2026-10-01 08:25 UTC): setup notes with the gateway key, redacted\n",
        encoding="utf-8",
    )
    steps = {**_leakage(folder, scan_path), **_compromise(folder), **_recovery()}
    path = folder / ANSWERS
    path.write_text(yaml.safe_dump({"steps": steps}, sort_keys=False), encoding="utf-8")
    return path


def open_step(db: str) -> Step:
    """Open the leakage incident for the demo key."""
    return Step(
        f"An incident: {KEY} was found in a public gist",
        ("incident", "open", "key-leakage", "--key", KEY, "--detected-at", DETECTED,
         "--commander", "dana", "--db", db, "--as-of", OPENED),
    )  # fmt: skip


def incident_steps(db: str, ref: str, answers: Path, logs: Sequence[Path], out: Path) -> list[Step]:
    """Run it from the answers file, close it, write and show its report."""
    log_args = tuple(a for p in logs for a in ("--logs", str(p)))
    common = ("--db", db, "--actor", "dana")
    return [
        Step("Work it through the playbook from the answers file",
             ("incident", "run", ref, "--answers", str(answers), *log_args, *common,
              "--as-of", OPENED)),
        Step("Where it stands: clocks and open steps",
             ("incident", "status", ref, *common, "--as-of", CLOSED)),
        Step("Close it", ("incident", "close", ref, *common, "--as-of", CLOSED)),
        Step("The incident report",
             ("incident", "report", ref, "--out", str(out / "incident-report.pdf"), *common,
              "--as-of", CLOSED)),
    ]  # fmt: skip
