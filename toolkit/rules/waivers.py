"""Waivers: owned, justified, expiring exceptions for a rule on keys matching a glob pattern."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from toolkit.errors import WaiverError
from toolkit.rules.catalogue import RULES
from toolkit.rules.interface import Finding
from toolkit.store.tables import Waiver
from toolkit.timeutil import ensure_utc, isoformat
from toolkit.trail import append

WAIVED = "waived"
EXPIRED = "expired"


@dataclass(frozen=True)
class WaivedFinding:
    """A finding with the waiver that matches it: ``state`` is waived, expired or None."""

    finding: Finding
    waiver: Waiver | None = None
    state: str | None = None

    @property
    def waived(self) -> bool:
        """True when an active waiver suppresses the finding (it stays in the results)."""
        return self.state == WAIVED


def waiver_state(waiver: Waiver, as_of: datetime) -> str:
    """``revoked``, ``expired`` (expires_at at or before as_of) or ``active``."""
    if waiver.revoked_at is not None:
        return "revoked"
    if ensure_utc(waiver.expires_at) <= as_of:
        return "expired"
    return "active"


def matches(waiver: Waiver, finding: Finding) -> bool:
    """Same rule, and the finding's subject (key id) matches the glob (case-sensitive)."""
    return waiver.rule_id == finding.rule_id and fnmatch.fnmatchcase(
        finding.subject, waiver.key_pattern
    )


def _best(candidates: list[Waiver], as_of: datetime) -> tuple[Waiver | None, str | None]:
    """An active waiver (latest expiry) wins; else the most recently expired; revoked never."""
    active = [w for w in candidates if waiver_state(w, as_of) == "active"]
    if active:
        return max(active, key=lambda w: (ensure_utc(w.expires_at), w.id or 0)), WAIVED
    expired = [w for w in candidates if waiver_state(w, as_of) == "expired"]
    if expired:
        return max(expired, key=lambda w: (ensure_utc(w.expires_at), w.id or 0)), EXPIRED
    return None, None


def apply_waivers(
    findings: Iterable[Finding], waivers: Sequence[Waiver], as_of: datetime
) -> list[WaivedFinding]:
    """Each finding with its matching waiver: waived, marked expired (still failing) or neither."""
    as_of = ensure_utc(as_of)
    out = []
    for finding in findings:
        waiver, state = _best([w for w in waivers if matches(w, finding)], as_of)
        out.append(WaivedFinding(finding, waiver, state))
    return out


def _required(value: str | None, option: str) -> str:
    """The stripped text of a required option; blank is refused."""
    if value is None or not value.strip():
        raise WaiverError(
            f"{option}: required (a waiver needs a rule, key pattern, reason, owner and expiry)"
        )
    return value.strip()


def add_waiver(
    session: Session,
    *,
    rule_id: str,
    key_pattern: str,
    reason: str,
    owner: str,
    expires_at: datetime | None,
    actor: str,
    now: datetime,
    at: datetime | None = None,
    approved_by: str | None = None,
) -> Waiver:
    """Record a waiver and its trail entry; refuse unknown rules, blanks and past expiries.

    ``now`` is the time expiry is judged against (the as-of time); ``at`` the wall-clock time
    recorded as created_at, approved_at (with ``approved_by``) and in the trail (default: ``now``).
    A waiver without ``approved_by`` is kept and reported as unapproved.
    """
    if rule_id not in RULES:
        raise WaiverError(f"RULE: unknown rule id {rule_id!r} (known: {', '.join(RULES)})")
    if expires_at is None:
        raise WaiverError("--expires: required (a waiver must expire)")
    if ensure_utc(expires_at) <= now:
        raise WaiverError(f"--expires: {isoformat(expires_at)} is not in the future")
    waiver = Waiver(
        rule_id=rule_id,
        key_pattern=_required(key_pattern, "--key"),
        reason=_required(reason, "--reason"),
        owner=_required(owner, "--owner"),
        expires_at=ensure_utc(expires_at),
        created_at=at or now,
        created_by=actor,
        approved_by=None if approved_by is None else _required(approved_by, "--approved-by"),
        approved_at=None if approved_by is None else at or now,
    )
    session.add(waiver)
    session.flush()
    payload = waiver_record(waiver, now)
    append(session, actor=actor, action="waiver.add", payload=payload, at=at or now)
    return waiver


def revoke_waiver(
    session: Session, waiver_id: int, *, reason: str | None, actor: str, now: datetime
) -> Waiver:
    """Revoke a waiver (it stops applying at once) and record why in the trail."""
    waiver = session.get(Waiver, waiver_id)
    if waiver is None:
        raise WaiverError(f"ID: no waiver with id {waiver_id}")
    if waiver.revoked_at is not None:
        raise WaiverError(f"ID: waiver {waiver_id} was already revoked")
    waiver.revoked_at, waiver.revoked_by = now, actor
    session.add(waiver)
    session.flush()
    payload = {"id": waiver.id, "rule_id": waiver.rule_id, "reason": reason}
    append(session, actor=actor, action="waiver.revoke", payload=payload, at=now)
    return waiver


def list_waivers(session: Session, as_of: datetime, *, include_all: bool = False) -> list[Waiver]:
    """Waivers by id; only active ones unless ``include_all`` (then expired and revoked too)."""
    rows = session.exec(select(Waiver).order_by(Waiver.id)).all()  # type: ignore[arg-type]
    return [w for w in rows if include_all or waiver_state(w, as_of) == "active"]


def waiver_record(waiver: Waiver, as_of: datetime, matched: int | None = None) -> dict[str, object]:
    """A waiver as plain data (for --json, the trail and the audit result)."""
    record: dict[str, object] = {
        "id": waiver.id,
        "rule_id": waiver.rule_id,
        "key_pattern": waiver.key_pattern,
        "owner": waiver.owner,
        "reason": waiver.reason,
        "expires_at": isoformat(waiver.expires_at),
        "created_at": isoformat(waiver.created_at),
        "created_by": waiver.created_by,
        "approved_by": waiver.approved_by,
        "approved_at": isoformat(waiver.approved_at),
        "revoked_at": isoformat(waiver.revoked_at),
        "state": waiver_state(waiver, ensure_utc(as_of)),
    }
    if matched is not None:
        record["matched"] = matched
    return record
