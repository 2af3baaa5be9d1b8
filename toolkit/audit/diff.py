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


class WaiverChange(DiffRecord):
    """A persisting finding whose waiver state changed."""

    id: str
    before: str | None = Field(alias="from")
    after: str | None = Field(alias="to")


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


def brief(finding: FindingRecord) -> FindingBrief:
    """The fields of a finding a diff shows."""
    return FindingBrief(
        id=finding.id,
        rule_id=finding.rule_id,
        severity=finding.severity,
        subject=finding.subject,
        message=finding.message,
        waiver=finding.waiver.state if finding.waiver else None,
    )


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
    )
