"""Incidents: open one (id, playbook, roles, clocks), list them, show where one stands, close it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from toolkit.errors import IncidentError
from toolkit.keys import find_key
from toolkit.rules.policy import Policy
from toolkit.runbooks.checks import END
from toolkit.runbooks.clocks import ClockStatus, all_clocks
from toolkit.runbooks.engine import RunOptions, frontier, load_runbook, read_state
from toolkit.runbooks.evidence import EvidenceItem, add_evidence, evidence_dir, list_evidence
from toolkit.runbooks.loader import playbook_for_type
from toolkit.runbooks.model import RESOLVED, IncidentView, StepView
from toolkit.runbooks.records import find_incident, trail, with_retry
from toolkit.runbooks.runbook import Runbook, build_runbook
from toolkit.store.engine import Store
from toolkit.store.tables import Incident, IncidentRole
from toolkit.timeutil import isoformat


@dataclass(frozen=True)
class OpenRequest:
    """What ``incident open`` was given."""

    incident_type: str
    key_id: str
    provider: str | None
    detected_at: datetime | None
    commander: str | None
    summary: str | None = None


@dataclass(frozen=True)
class RoleHolder:
    """A person holding a role since a time (until renounced)."""

    role: str
    person: str
    assigned_at: datetime
    renounced_at: datetime | None


@dataclass(frozen=True)
class IncidentState:
    """Where an incident stands: its facts, the step it is at, open steps, clocks and roles."""

    incident: IncidentView
    playbook_title: str
    current: str | None
    current_title: str | None
    current_status: str | None
    done: int
    total: int
    open_required: tuple[str, ...]
    clocks: tuple[ClockStatus, ...]
    roles: tuple[RoleHolder, ...]


def _next_ref(session: Session, year: int) -> str:
    """INC-YEAR-NNNN, one more than the highest of that year (unique; a clash is retried)."""
    prefix = f"INC-{year}-"
    refs = session.exec(select(Incident.ref).where(col(Incident.ref).startswith(prefix))).all()
    numbers = [int(ref[len(prefix) :]) for ref in refs if ref[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def open_incident(
    store: Store, request: OpenRequest, *, actor: str, at: datetime, policy: Policy,
    playbooks: Path | None = None,
) -> IncidentView:  # fmt: skip
    """Create the incident, name its commander and start its clocks, in the store and trail."""
    loaded = playbook_for_type(request.incident_type, playbooks)
    runbook = build_runbook(loaded, policy, playbooks)
    if request.detected_at is not None and request.detected_at > at:
        raise IncidentError("--detected-at: later than the time the incident is opened")

    def work(session: Session) -> IncidentView:
        key = find_key(session, request.key_id, request.provider)
        row = Incident(
            ref=_next_ref(session, at.year), type=request.incident_type, key_id=key.key_id,
            key_provider=key.provider, playbook_id=loaded.playbook.id,
            playbook_version=loaded.playbook.version, playbook_sha256=loaded.sha256,
            commander=request.commander or actor, opened_at=at, detected_at=request.detected_at,
            aware_at=at, opened_by=actor, summary=request.summary,
        )  # fmt: skip
        session.add(row)
        session.flush()
        view = IncidentView.of(row)
        trail(session, view, actor, "incident.opened", at, type=row.type, key_id=key.key_id,
              playbook=loaded.playbook.id, playbook_sha256=loaded.sha256)  # fmt: skip
        _assign(session, view, "commander", row.commander or actor, actor, at)
        for clock in all_clocks(runbook, view, [], at):
            if clock.started_at is not None:
                trail(session, view, actor, "incident.clock.started", clock.started_at,
                      clock=clock.id, due_at=isoformat(clock.due_at))  # fmt: skip
        return view

    return with_retry(store, work, "incident open")


def _assign(
    session: Session, incident: IncidentView, role: str, person: str, actor: str, at: datetime
) -> None:
    """Give ``role`` to ``person``; the previous holder renounces it at the same time."""
    current = session.exec(
        select(IncidentRole).where(
            IncidentRole.incident_id == incident.id,
            IncidentRole.role == role,
            col(IncidentRole.renounced_at).is_(None),
        )  # fmt: skip
    ).all()
    for holder in current:
        holder.renounced_at = at
        session.add(holder)
        trail(
            session, incident, actor, "incident.role.renounced", at, role=role, person=holder.person
        )
    session.add(IncidentRole(incident_id=incident.id, role=role, person=person,
                             assigned_at=at, assigned_by=actor))  # fmt: skip
    trail(session, incident, actor, "incident.role.assigned", at, role=role, person=person)


def assign_role(
    store: Store, ref: str, role: str, person: str, *, actor: str, at: datetime,
    policy: Policy, playbooks: Path | None = None,
) -> RoleHolder:  # fmt: skip
    """Record that ``person`` now holds ``role`` (one of the playbook's roles)."""
    with store.session() as session:
        incident, sha, _ = read_state(session, ref)
    runbook = load_runbook(incident, sha, _options(policy, playbooks))
    if role not in runbook.playbook.roles:
        known = ", ".join(runbook.playbook.roles)
        raise IncidentError(
            f"role {role!r}: not a role of playbook {incident.playbook_id} ({known})"
        )
    with_retry(store, lambda s: _assign(s, incident, role, person, actor, at), "incident role")
    return RoleHolder(role, person, at, None)


def roles_of(session: Session, incident_id: int) -> tuple[RoleHolder, ...]:
    """Every role assignment, oldest first."""
    rows = session.exec(
        select(IncidentRole)
        .where(IncidentRole.incident_id == incident_id)
        .order_by(col(IncidentRole.id))
    ).all()
    return tuple(RoleHolder(r.role, r.person, r.assigned_at, r.renounced_at) for r in rows)


def _options(policy: Policy, playbooks: Path | None) -> RunOptions:
    """Options for reading (nothing is run)."""
    return RunOptions(actor="", clock=lambda: datetime.min, policy=policy,
                      evidence_root=Path("."), playbooks=playbooks)  # fmt: skip


def open_required(runbook: Runbook, records: list[StepView]) -> tuple[str, ...]:
    """Required steps not yet resolved from where the run stands (none when it has finished)."""
    key, _status = frontier(runbook, records)
    if key == END:
        return ()
    resolved = {r.step_id for r in records if r.status in RESOLVED}
    start = runbook.index(key)
    return tuple(
        flat.key for flat in runbook.steps[start:]
        if flat.step.required and (flat.key == key or flat.key not in resolved)
    )  # fmt: skip


def incident_state(
    store: Store, ref: str, *, as_of: datetime, policy: Policy, playbooks: Path | None = None
) -> IncidentState:
    """Where the incident stands at ``as_of``."""
    with store.session() as session:
        incident, sha, records = read_state(session, ref)
        roles = roles_of(session, incident.id)
    runbook = load_runbook(incident, sha, _options(policy, playbooks))
    key, status = frontier(runbook, records)
    flat = None if key == END else runbook.steps[runbook.index(key)]
    done = len({r.step_id for r in records if r.status in RESOLVED})
    clocks = tuple(all_clocks(runbook, incident, records, as_of))
    return IncidentState(
        incident, runbook.playbook.title, None if flat is None else key,
        None if flat is None else flat.step.title, status, done, len(runbook.steps),
        open_required(runbook, records), clocks, roles,
    )  # fmt: skip


def list_incidents(store: Store, status: str | None = None) -> list[IncidentView]:
    """Every incident (or those with ``status``), newest first."""
    with store.session() as session:
        query = select(Incident).order_by(col(Incident.id).desc())
        if status:
            query = query.where(Incident.status == status)
        return [IncidentView.of(row) for row in session.exec(query).all()]


def close_incident(
    store: Store, ref: str, *, actor: str, at: datetime, policy: Policy,
    force: bool = False, reason: str | None = None, playbooks: Path | None = None,
) -> IncidentView:  # fmt: skip
    """Close the incident; refused while required steps are open unless forced with a reason."""
    state = incident_state(store, ref, as_of=at, policy=policy, playbooks=playbooks)
    if state.incident.status != "open":
        raise IncidentError(f"incident {ref}: already closed")
    if state.open_required and not force:
        listed = ", ".join(state.open_required[:5]) + (
            " ..." if len(state.open_required) > 5 else ""
        )
        raise IncidentError(
            f"incident {ref}: {len(state.open_required)} required step(s) open ({listed}); "
            "finish them with 'keyvigil incident run', or close with --force --reason TEXT"
        )
    if force and state.open_required and not (reason and reason.strip()):
        raise IncidentError("--force needs --reason TEXT (it is kept in the report)")

    def work(session: Session) -> IncidentView:
        row = find_incident(session, ref)
        row.status, row.closed_at, row.closed_by = "closed", at, actor
        row.close_reason = reason.strip() if reason else None
        session.add(row)
        session.flush()
        view = IncidentView.of(row)
        trail(session, view, actor, "incident.closed", at, forced=bool(state.open_required),
              reason=row.close_reason, open_steps=list(state.open_required))  # fmt: skip
        return view

    return with_retry(store, work, "incident close")


def add_incident_evidence(
    store: Store, ref: str, source: Path, *, note: str | None, actor: str, at: datetime
) -> EvidenceItem:
    """Copy ``source`` into the evidence store beside the database and record it for ``ref``."""

    def work(session: Session) -> EvidenceItem:
        row = find_incident(session, ref)
        assert row.id is not None
        return add_evidence(session, evidence_dir(store.url), (row.id, row.ref), source,
                            note=note, actor=actor, at=at)  # fmt: skip

    return with_retry(store, work, "incident evidence add")


def incident_evidence(store: Store, ref: str) -> list[EvidenceItem]:
    """The evidence of ``ref``, each stored copy re-hashed."""
    with store.session() as session:
        row = find_incident(session, ref)
        assert row.id is not None
        return list_evidence(session, row.id, evidence_dir(store.url))
