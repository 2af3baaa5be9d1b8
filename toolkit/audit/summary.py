"""Short human summaries of a run and of a diff, and the ``--fail-on`` check."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from toolkit.audit.diff import RunDiff
from toolkit.audit.result import FindingRecord, ResultDocument
from toolkit.rules.interface import Severity


def failing(doc: ResultDocument, fail_on: str | None) -> list[FindingRecord]:
    """Unwaived findings at or above ``fail_on`` (None: never fail)."""
    if not fail_on or fail_on == "none":
        return []
    limit = Severity(fail_on).rank
    return [f for f in doc.findings if Severity(f.severity).rank <= limit and not f.waived]


def run_lines(run_id: str, doc: ResultDocument, outputs: Sequence[Path] = ()) -> list[str]:
    """The summary printed after a run (and by ``audit show``)."""
    s = doc.summary
    counts = [(sev.value, s.by_severity.get(sev.value, 0)) for sev in Severity]
    severities = ", ".join(f"{n} {sev}" for sev, n in counts if n) or "none"
    lines = [
        f"Audit {run_id} as of {doc.as_of} ({len(doc.keys)} keys)",
        f"Findings: {s.findings} ({severities}); {s.waived} of them waived, "
        f"{s.expired_waivers} whose waiver expired",
    ]
    if s.overdue:
        lines.append(f"Overdue responses: {s.overdue} (see `keyvigil finding list {run_id}`)")
    for fw in doc.frameworks:
        c = s.controls[fw.id]
        failing_ids = [ctl.id for ctl in fw.controls if ctl.status == "fails"]
        rails = sum(1 for ctl in fw.controls if ctl.guardrails)
        partial = sum(1 for ctl in fw.controls if ctl.status == "manual" and ctl.tested)
        lines.append(
            f"  {fw.name} {fw.version}: {c['fails']} fail, {c['holds']} hold, "
            f"{c['not_evaluated']} not evaluated, {c['manual']} manual"
            + (f" ({partial} of them on partial evidence)" if partial else "")
            + (f"; {rails} with policy looser than the framework" if rails else "")
        )
        if failing_ids:
            lines.append(f"    failing: {', '.join(failing_ids)}")
    if s.not_evaluated_rules:
        lines.append(f"Not evaluated: {', '.join(s.not_evaluated_rules)}")
    lines.extend(f"Wrote {path}" for path in outputs)
    return lines


def diff_lines(a: str, b: str, diff: RunDiff) -> list[str]:
    """The summary of ``audit diff``."""
    lines = [
        f"{a} -> {b}: {len(diff.new)} new, {len(diff.resolved)} resolved, "
        f"{len(diff.persisting)} persisting"
    ]
    for label, found in (("new", diff.new), ("resolved", diff.resolved)):
        lines.extend(f"  {label:<8} {f.severity:<8} {f.rule_id:<28} {f.subject}" for f in found)
    lines.extend(
        f"  waiver   {w.id}: {w.before or 'none'} -> {w.after or 'none'}"
        for w in diff.waiver_changes
    )
    lines.extend(
        f"  control  {c.framework} {c.control}: {c.before or '-'} -> {c.after or '-'}"
        for c in diff.controls
    )
    lines.extend(
        f"  response {r.id} {r.rule_id} {r.subject}: {r.field} {_shown(r.field, r.before)} -> "
        f"{_shown(r.field, r.after)}"
        for r in diff.response_changes
    )
    lines.extend(
        f"  OVERDUE  {f.severity:<8} {f.rule_id:<28} {f.subject} (due {f.due}, "
        f"owner {f.owner or 'none'}, {(f.status or 'open').replace('_', ' ')})"
        for f in diff.overdue
    )
    return lines


def _shown(field: str, value: str | bool | None) -> str:
    """A response value as ``audit diff`` prints it (notes quoted, statuses in words)."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field == "status":
        return value.replace("_", " ")
    return repr(value) if field == "note" else value
