"""Everything the incident report shows, gathered from the store, the trail and the evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from toolkit import __version__
from toolkit.keys import find_key
from toolkit.runbooks.clocks import ClockStatus, all_clocks, incident_events
from toolkit.runbooks.durations import span_text
from toolkit.runbooks.engine import RunOptions, load_runbook, read_state
from toolkit.runbooks.evidence import EvidenceItem, list_evidence
from toolkit.runbooks.incidents import RoleHolder, open_required, roles_of
from toolkit.runbooks.model import DONE, IncidentView, StepView
from toolkit.runbooks.runbook import Runbook
from toolkit.runbooks.timeline import TimelineEntry, incident_timeline, spoken
from toolkit.trail import verify


@dataclass(frozen=True)
class KeyFacts:
    """The key the incident is about (never its value)."""

    key_id: str
    provider: str
    name: str | None
    owner: str | None
    environment: str | None
    revoked_at: datetime | None
    revoked_reason: str | None
    fingerprint: str | None


@dataclass(frozen=True)
class StepLine:
    """One step as the report lists it: its latest record, or 'not reached'."""

    key: str
    title: str
    type: str
    required: bool
    status: str
    actor: str | None
    at: datetime | None
    attempts: int
    detail: str


@dataclass(frozen=True)
class PhaseSection:
    """The steps of one phase, in run order."""

    title: str
    steps: tuple[StepLine, ...]


@dataclass(frozen=True)
class MetricValue:
    """A named interval between two incident events, or why it cannot be given."""

    title: str
    start_event: str
    end_event: str
    start: datetime | None
    end: datetime | None
    text: str


@dataclass(frozen=True)
class IncidentReport:
    """The report's content; the template renders it and the PDF carries it as incident.json."""

    incident: IncidentView
    key: KeyFacts
    playbook_id: str
    playbook_title: str
    playbook_version: str
    playbook_sha256: str
    roles: tuple[RoleHolder, ...]
    timeline: tuple[TimelineEntry, ...]
    phases: tuple[PhaseSection, ...]
    skipped: tuple[StepLine, ...]
    open_required: tuple[str, ...]
    access_review: dict[str, Any] | None
    access_review_status: str
    related: dict[str, Any] | None
    rotation: dict[str, Any] | None
    replacement: dict[str, Any] | None
    evidence: tuple[EvidenceItem, ...]
    clocks: tuple[ClockStatus, ...]
    metrics: tuple[MetricValue, ...]
    lessons: str | None
    as_of: datetime
    trail_ok: bool
    trail_head: str
    tool_version: str


def _detail(record: StepView) -> str:
    """What the step recorded, in a few words."""
    out = record.output
    if record.notes and record.status != DONE:
        return record.notes
    if "summary" in out:
        return str(out["summary"])
    if "decision" in out:
        return f"{out['decision'].get('label') or 'default'} -> {out['decision'].get('goto')}"
    if "items" in out:
        return f"{sum(1 for v in out['items'].values() if v)} of {len(out['items'])} items done"
    if "recipient" in out:
        return f"{out['recipient']}, sent {out.get('sent_at')}, ref {out.get('reference')}"
    if "answers" in out:
        return "; ".join(
            f"{k.replace('_', ' ')}: {spoken(v)}"
            for k, v in out["answers"].items()
            if v not in (None, "")
        )
    if "files" in out:
        return ", ".join(out["files"])
    return ""


def _phases(runbook: Runbook, records: list[StepView]) -> tuple[PhaseSection, ...]:
    """Steps grouped by phase title (included playbooks' phases after their include)."""
    latest: dict[str, StepView] = {}
    attempts: dict[str, int] = {}
    for record in records:
        latest[record.step_id] = record
        attempts[record.step_id] = attempts.get(record.step_id, 0) + 1
    sections: dict[str, list[StepLine]] = {}
    for flat in runbook.steps:
        last = latest.get(flat.key)
        line = StepLine(
            flat.key, flat.step.title, flat.step.type, flat.step.required,
            last.status if last else "not_reached", last.actor if last else None,
            (last.completed_at or last.started_at) if last else None,
            attempts.get(flat.key, 0), _detail(last) if last else "",
        )  # fmt: skip
        label = flat.phase if not flat.namespace else f"{flat.phase} ({flat.playbook_id})"
        sections.setdefault(label, []).append(line)
    return tuple(PhaseSection(title, tuple(lines)) for title, lines in sections.items())


def _outputs(
    runbook: Runbook, records: list[StepView], uses: str, needs: str | None = None
) -> tuple[dict[str, Any] | None, str]:
    """The latest output of an action step using ``uses`` (holding ``needs``), and its status."""
    keys = {f.key for f in runbook.steps if getattr(f.step, "uses", None) == uses}
    found = [
        r
        for r in records
        if r.step_id in keys
        and r.status != "in_progress"
        and (needs is None or needs in (r.output.get("outputs") or {}))
    ]
    if not found:
        return None, "not run yet"
    done = [r for r in found if r.status == DONE]
    record = done[-1] if done else found[-1]  # a later 'not applicable' repeat keeps the result
    if record.status != DONE:
        return (
            None,
            f"{record.status.replace('_', ' ')}: "
            f"{record.notes or record.output.get('summary', '')}",
        )
    return dict(record.output.get("outputs") or {}), str(record.output.get("summary", ""))


def _metrics(runbook: Runbook, events: dict[str, datetime]) -> tuple[MetricValue, ...]:
    """Every metric of the playbook; 'not recorded' when an event is missing."""
    out = []
    for metric in runbook.playbook.metrics.values():
        start, end = events.get(metric.start), events.get(metric.end)
        if start is None or end is None:
            missing = metric.start if start is None else metric.end
            text = f"not recorded ({missing.replace('_', ' ')} unknown)"
        elif end < start:
            first, then = metric.end.replace("_", " "), metric.start.replace("_", " ")
            text = f"none: {first} {span_text(start - end)} before {then}"
        else:
            text = span_text(end - start)
        out.append(MetricValue(metric.title, metric.start, metric.end, start, end, text))
    return tuple(out)


def _key_facts(session: Session, incident: IncidentView) -> KeyFacts:
    """The incident's key as the inventory now has it."""
    key = find_key(session, incident.key_id, incident.key_provider)
    return KeyFacts(
        key.key_id, key.provider, key.name, key.owner, key.environment, key.revoked_at,
        key.revoked_reason, key.fingerprint,
    )  # fmt: skip


def build_report(
    session: Session, ref: str, options: RunOptions, as_of: datetime, evidence_root: Path
) -> IncidentReport:
    """The report of incident ``ref`` as at ``as_of`` (its close time when closed)."""
    incident, sha, records = read_state(session, ref)
    runbook = load_runbook(incident, sha, options)
    when = incident.closed_at or as_of
    review, review_status = _outputs(runbook, records, "access-review")
    related, _ = _outputs(runbook, records, "related-keys")
    rotation, _ = _outputs(runbook, records, "rotate-environment")
    replacement, _ = _outputs(runbook, records, "replace-key", needs="fingerprint")
    phases = _phases(runbook, records)
    status = verify(session)
    return IncidentReport(
        incident=incident, key=_key_facts(session, incident), playbook_id=runbook.playbook.id,
        playbook_title=runbook.playbook.title, playbook_version=runbook.playbook.version,
        playbook_sha256=runbook.sha256, roles=roles_of(session, incident.id),
        timeline=tuple(incident_timeline(session, ref, runbook)), phases=phases,
        skipped=tuple(s for p in phases for s in p.steps if s.status == "skipped"),
        open_required=open_required(runbook, records), access_review=review,
        access_review_status=review_status, related=related, rotation=rotation,
        replacement=replacement, evidence=tuple(list_evidence(session, incident.id, evidence_root)),
        clocks=tuple(all_clocks(runbook, incident, records, when)),
        metrics=_metrics(runbook, incident_events(runbook, incident, records)),
        lessons=incident.lessons, as_of=when, trail_ok=status.ok, trail_head=status.head,
        tool_version=__version__,
    )  # fmt: skip
