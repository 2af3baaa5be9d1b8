"""The incident's timeline, read back from the hash-chained trail: one line per recorded event."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from toolkit.runbooks.runbook import Runbook
from toolkit.timeutil import parse_timestamp
from toolkit.trail import entries


@dataclass(frozen=True)
class TimelineEntry:
    """One event: when it happened, who did it, what it was, and its trail sequence number."""

    at: datetime
    actor: str
    kind: str
    text: str
    seq: int


def spoken(value: Any) -> str:
    """An answer or decision value as a reader says it: yes/no for booleans."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _answers(details: Mapping[str, Any]) -> str:
    """Question answers as 'name: value; ...' (long texts cut)."""
    answers = details.get("answers") or {}
    parts = [
        f"{k.replace('_', ' ')}: {spoken(v)[:80]}"
        for k, v in answers.items()
        if v not in (None, "")
    ]
    return "; ".join(parts)


def _describe(action: str, payload: Mapping[str, Any], titles: Mapping[str, str]) -> str:
    """A sentence for one trail entry about the incident."""
    step = str(payload.get("step", ""))
    title = titles.get(step, step)
    details = payload.get("details") or {}
    if action == "incident.opened":
        return (
            f"Incident opened for key {payload.get('key_id')} (playbook {payload.get('playbook')})"
        )
    if action in ("incident.role.assigned", "incident.role.renounced"):
        verb = "now holds" if action.endswith("assigned") else "no longer holds"
        return f"{payload.get('person')} {verb} the role {payload.get('role')}"
    if action == "incident.clock.started":
        return f"Clock {payload.get('clock')} started (due {payload.get('due_at')})"
    if action == "incident.evidence.added":
        return (
            f"Evidence added: {payload.get('name')} (sha256 {str(payload.get('sha256'))[:16]}...)"
        )
    if action == "incident.closed":
        forced = f" with steps open: {payload.get('reason')}" if payload.get("forced") else ""
        return f"Incident closed{forced}"
    if action == "incident.report.written":
        return f"Report written (sha256 {str(payload.get('pdf_sha256'))[:16]}...)"
    if action == "incident.step.started":
        return f"Started: {title}" + (
            f" (attempt {payload['attempt']})" if payload.get("attempt", 1) > 1 else ""
        )
    if action == "incident.step.progress":
        ticked = [k for k, v in (details.get("items") or {}).items() if v]
        return f"{title}: ticked {', '.join(ticked) or 'nothing'}"
    return _step_text(action.rsplit(".", 1)[-1], title, payload, details)


def _step_text(
    status: str, title: str, payload: Mapping[str, Any], details: Mapping[str, Any]
) -> str:
    """A step's end: done (with what it produced), skipped, not applicable, failed, not run."""
    if status == "skipped":
        return f"Skipped: {title} - {payload.get('notes')}"
    if status == "not_applicable":
        return f"Not applicable: {title} ({details.get('condition')})"
    if status == "failed":
        return f"Failed: {title} - {payload.get('notes')}"
    if "summary" in details:
        prefix = "Not run" if details.get("result") == "not_run" else "Done"
        return f"{prefix}: {title} - {details['summary']}"
    if "decision" in details:
        decision = details["decision"]
        values = ", ".join(f"{k} = {spoken(v)}" for k, v in (decision.get("values") or {}).items())
        label = decision.get("label") or "default"
        return f"Decision: {title} - {label} -> {decision.get('goto')} ({values})"
    if "items" in details:
        items = details["items"]
        return f"Done: {title} - {sum(1 for v in items.values() if v)} of {len(items)} items done"
    if "recipient" in details:
        late = f"; late: {details.get('late_reason')}" if details.get("late_clocks") else ""
        who = f"{details.get('recipient')} ({details.get('audience')})"
        return f"Notified: {who}, ref {details.get('reference')}{late}"
    text = _answers(details)
    return f"Done: {title}" + (f" - {text}" if text else "")


def incident_timeline(session: Session, ref: str, runbook: Runbook) -> list[TimelineEntry]:
    """Every trail entry about incident ``ref``, by the time it happened."""
    titles = {flat.key: flat.step.title for flat in runbook.steps}
    rows = [(row, json.loads(row.payload)) for row in entries(session, "incident.")]
    rows = [(row, payload) for row, payload in rows if payload.get("incident") == ref]
    ends = {
        (p.get("step"), p.get("attempt"), p.get("at"))
        for row, p in rows
        if row.action.startswith("incident.step.") and row.action != "incident.step.started"
    }
    out = []
    for row, payload in rows:
        started = (payload.get("step"), payload.get("attempt"), payload.get("at"))
        if row.action == "incident.step.started" and started in ends:
            continue  # started and finished at the same moment: the end says it all
        at = parse_timestamp(payload.get("at") or row.ts)
        kind = row.action.removeprefix("incident.")
        out.append(
            TimelineEntry(at, row.actor, kind, _describe(row.action, payload, titles), row.seq)
        )
    return sorted(out, key=lambda e: (e.at, e.seq))
