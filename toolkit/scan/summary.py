"""What ``keyvigil scan`` prints for people: findings (masked), then what was read and skipped."""

from __future__ import annotations

from collections import Counter
from typing import Any

from toolkit.rules.interface import Severity
from toolkit.scan.interface import ScanFinding, ScanReport
from toolkit.timeutil import isoformat

SKIPPED_SHOWN = 10
"""Skipped files listed by name; the rest are counted."""


def finding_line(f: ScanFinding) -> str:
    """One finding: severity, rule, place and what the scan knows of the secret."""
    place = f"{f.file}:{f.line}:{f.column}" if f.line else f.file
    text = f"{f.severity.upper():8} {f.rule:24} {place}"
    if f.secret:
        text += f"  {f.secret.preview} len={f.secret.length} sha256:{f.secret.prefix}"
    if f.commit:
        date = isoformat(f.author_date) if f.author_date else "?"
        text += f"  commit {f.commit[:12]} {date}" + ("" if f.at_head else " (gone at HEAD)")
    return text + f"\n         {f.message}"


def coverage_line(report: ScanReport) -> str:
    """What the scan read."""
    c = report.coverage
    parts = [f"{c.files} file(s)", f"{c.log_files} log file(s)"]
    if c.commits:
        parts.append(f"{c.commits} commit(s)")
    parts.append(f"{c.config_files} credential/config file mode(s)")
    parts.append(f"{c.inventory_fingerprints} inventory fingerprint(s)")
    return "read: " + ", ".join(parts)


def summary_lines(report: ScanReport) -> list[str]:
    """The terminal summary."""
    lines = [finding_line(f) for f in report.findings]
    counts = Counter(f.rule for f in report.findings)
    total = ", ".join(f"{n} {rule}" for rule, n in sorted(counts.items())) or "none"
    lines.append(f"findings: {len(report.findings)} ({total})")
    for allowed in report.allowed:
        f = allowed.finding
        why = f"{allowed.entry}; {allowed.reason}; owner {allowed.owner}"
        lines.append(f"allowed: {f.rule} {f.file}:{f.line or '-'} ({why})")
    lines.append(coverage_line(report))
    for skipped in report.skipped[:SKIPPED_SHOWN]:
        lines.append(f"skipped: {skipped.file} ({skipped.reason})")
    if len(report.skipped) > SKIPPED_SHOWN:
        reasons = Counter(s.reason.split(" (")[0] for s in report.skipped)
        more = ", ".join(f"{n} {r}" for r, n in reasons.most_common())
        lines.append(f"skipped: {len(report.skipped)} file(s) in all ({more})")
    lines.extend(f"note: {n}" for n in report.notices)
    return lines


def failing(report: ScanReport, fail_on: str) -> list[ScanFinding]:
    """Findings at or above ``fail_on`` (``none``: never)."""
    if fail_on == "none":
        return []
    limit = Severity(fail_on).rank
    return [f for f in report.findings if Severity(f.severity).rank <= limit]


def as_json(report: ScanReport) -> dict[str, Any]:
    """The report for ``--json``: findings masked, counts of what was read and skipped."""
    c = report.coverage
    return {
        "roots": list(report.roots),
        "findings": [_finding(f) for f in report.findings],
        "allowed": [
            {**_finding(a.finding), "reason": a.reason, "owner": a.owner, "entry": a.entry}
            for a in report.allowed
        ],
        "read": {
            "files": c.files,
            "log_files": c.log_files,
            "commits": c.commits,
            "config_files": c.config_files,
            "inventory_fingerprints": c.inventory_fingerprints,
        },
        "skipped": [{"file": s.file, "reason": s.reason} for s in report.skipped],
        "notices": list(report.notices),
    }


def _finding(f: ScanFinding) -> dict[str, Any]:
    """One finding as plain JSON values (fingerprint prefix only)."""
    return {
        "rule": f.rule,
        "severity": f.severity,
        "file": f.file,
        "line": f.line,
        "column": f.column,
        "detector": f.detector,
        "fingerprint_prefix": f.secret.prefix if f.secret else None,
        "length": f.secret.length if f.secret else None,
        "preview": f.secret.preview if f.secret else None,
        "key_id": f.key.key_id if f.key else None,
        "commit": f.commit,
        "introduced": isoformat(f.author_date) if f.author_date else None,
        "at_head": f.at_head,
        "message": f.message,
    }
