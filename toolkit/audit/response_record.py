"""A finding's management response as the result document carries it: owner, due date, status.

Pure: built from the stored response (if any), the date the finding was first found, the
policy's remediation days and the run's as-of time. No response: the key's owner and the
policy's due date for the finding's severity.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from toolkit.audit.result import ResponseRecord
from toolkit.construct import trusted
from toolkit.rules.policy import RemediationDays
from toolkit.timeutil import ensure_utc, isoformat

STATUSES = ("open", "in_progress", "fixed", "risk_accepted")
"""Response statuses, in the order a report lists them."""
CLOSED = frozenset({"fixed", "risk_accepted"})
"""Statuses that stop a response from being overdue."""


@dataclass(frozen=True)
class ResponseFacts:
    """The response in force for one finding, as stored (``None``: keep the default)."""

    status: str
    responded_at: datetime
    responded_by: str
    owner: str | None = None
    due: date | None = None
    note: str | None = None


@dataclass(frozen=True)
class ResponseBook:
    """Everything needed to give each finding of a run its response."""

    as_of: datetime
    days: RemediationDays = field(default_factory=RemediationDays)
    stored: Mapping[str, ResponseFacts] = field(default_factory=dict)
    first_found: Mapping[str, datetime] = field(default_factory=dict)

    def record(
        self, finding_id: str, severity: str, key_owner: str | None, waived: bool
    ) -> ResponseRecord:
        """The response part of finding ``finding_id`` (see ``ResponseRecord``)."""
        facts = self.stored.get(finding_id)
        as_of = ensure_utc(self.as_of)
        found = min(ensure_utc(self.first_found.get(finding_id, as_of)), as_of).date()
        due = facts.due if facts and facts.due else found + timedelta(self.days.days(severity))
        status = facts.status if facts else "open"
        fixed_but_found = bool(
            facts and status == "fixed" and ensure_utc(facts.responded_at) <= as_of
        )
        late = as_of.date() > due and not waived and (status not in CLOSED or fixed_but_found)
        owner, owner_from = _owner(facts, key_owner)
        values = {  # in ResponseRecord's (alphabetical) field order
            "due": due.isoformat(),
            "due_from": "response" if facts and facts.due else "policy",
            "first_found": found.isoformat(),
            "fixed_but_found": fixed_but_found,
            "note": facts.note if facts else None,
            "overdue": late,
            "owner": owner,
            "owner_from": owner_from,
            "responded_at": isoformat(facts.responded_at) if facts else None,
            "responded_by": facts.responded_by if facts else None,
            "status": status,
        }
        return trusted(ResponseRecord, values, in_order=True)


def _owner(
    facts: ResponseFacts | None, key_owner: str | None
) -> tuple[str | None, Literal["key", "response"] | None]:
    """The response's owner if it names one, else the key's owner, else nobody."""
    if facts and facts.owner:
        return facts.owner, "response"
    if key_owner:
        return key_owner, "key"
    return None, None
