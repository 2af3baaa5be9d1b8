"""Comparing two runs: new, resolved and persisting findings, and control status changes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from toolkit.audit.result import FindingRecord, ResultDocument


class DiffRecord(BaseModel):
    """A frozen part of a comparison (``from`` is a Python keyword: fields use aliases)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    def data(self) -> dict[str, Any]:
        """As plain JSON-ready data, with the public field names."""
        return self.model_dump(by_alias=True)


class DiffEnd(DiffRecord):
    """One side of the comparison."""

    run: str | None = Field(default=None, description="run id (set by `audit diff`)")
    as_of: str
    findings: int


class FindingBrief(DiffRecord):
    """The fields of a finding a diff shows."""

    id: str
    rule_id: str
    severity: str
    subject: str
    message: str
    waiver: str | None = Field(description="waiver state: waived, expired or None")
    owner: str | None = Field(default=None, description="the response's owner (else key owner)")
    due: str | None = Field(default=None, description="remediation due date, YYYY-MM-DD")
    status: str | None = Field(default=None, description="open, in_progress, fixed, risk_accepted")
    overdue: bool = Field(default=False, description="its response is overdue at the as-of")


class WaiverChange(DiffRecord):
    """A persisting finding whose waiver state changed."""

    id: str
    before: str | None = Field(alias="from")
    after: str | None = Field(alias="to")


class ResponseChange(DiffRecord):
    """A persisting finding whose management response changed (one entry per field)."""

    id: str
    rule_id: str
    subject: str
    field: str = Field(description="owner, due, status, note or overdue")
    before: str | bool | None = Field(alias="from")
    after: str | bool | None = Field(alias="to")


RESPONSE_FIELDS = ("owner", "due", "status", "note", "overdue")
"""The response fields ``audit diff`` compares, in the order it prints them."""


class ControlChange(DiffRecord):
    """A control whose status differs (appearing or disappearing controls included)."""

    framework: str
    control: str
    before: str | None = Field(alias="from")
    after: str | None = Field(alias="to")


class RunDiff(DiffRecord):
    """What changed from one run's document to another's, matched by stable finding id."""

    before: DiffEnd = Field(alias="from")
    after: DiffEnd = Field(alias="to")
    new: list[FindingBrief]
    resolved: list[FindingBrief]
    persisting: list[FindingBrief]
    waiver_changes: list[WaiverChange]
    controls: list[ControlChange]
    response_changes: list[ResponseChange] = Field(default_factory=list)
    overdue: list[FindingBrief] = Field(
        default_factory=list, description="findings of the newer run whose response is overdue"
    )


def brief(finding: FindingRecord) -> FindingBrief:
    """The fields of a finding a diff shows."""
    return FindingBrief(
        id=finding.id,
        rule_id=finding.rule_id,
        severity=finding.severity,
        subject=finding.subject,
        message=finding.message,
        waiver=finding.waiver.state if finding.waiver else None,
        owner=finding.response.owner,
        due=finding.response.due,
        status=finding.response.status,
        overdue=finding.response.overdue,
    )


def response_changes(old: FindingRecord, new: FindingRecord) -> list[ResponseChange]:
    """The response fields that differ between two runs' versions of one finding."""
    before, after = old.response.model_dump(), new.response.model_dump()
    return [
        ResponseChange(
            id=new.id,
            rule_id=new.rule_id,
            subject=new.subject,
            field=name,
            before=before[name],
            after=after[name],
        )
        for name in RESPONSE_FIELDS
        if before[name] != after[name]
    ]


def _controls(doc: ResultDocument) -> dict[tuple[str, str], str]:
    """(framework, control) -> status."""
    return {(fw.id, c.id): c.status for fw in doc.frameworks for c in fw.controls}


def control_changes(old: ResultDocument, new: ResultDocument) -> list[ControlChange]:
    """Controls whose status differs (appearing or disappearing controls included)."""
    before, after = _controls(old), _controls(new)
    return [
        ControlChange(
            framework=key[0], control=key[1], before=before.get(key), after=after.get(key)
        )
        for key in list(before) + [k for k in after if k not in before]
        if before.get(key) != after.get(key)
    ]


def diff_documents(old: ResultDocument, new: ResultDocument) -> RunDiff:
    """What changed from ``old`` to ``new``, matched by stable finding id."""
    before = {f.id: f for f in old.findings}
    after = {f.id: f for f in new.findings}
    persisting = [fid for fid in after if fid in before]
    waiver_changes = [
        WaiverChange(id=fid, before=brief(before[fid]).waiver, after=brief(after[fid]).waiver)
        for fid in persisting
        if brief(before[fid]).waiver != brief(after[fid]).waiver
    ]
    return RunDiff(
        before=DiffEnd(as_of=old.as_of, findings=len(before)),
        after=DiffEnd(as_of=new.as_of, findings=len(after)),
        new=[brief(f) for fid, f in after.items() if fid not in before],
        resolved=[brief(f) for fid, f in before.items() if fid not in after],
        persisting=[brief(after[fid]) for fid in persisting],
        waiver_changes=waiver_changes,
        controls=control_changes(old, new),
        response_changes=[
            c for fid in persisting for c in response_changes(before[fid], after[fid])
        ],
        overdue=[brief(f) for f in new.findings if f.response.overdue],
    )
