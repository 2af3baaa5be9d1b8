"""Counts and phrases for the report's prose: waivers counted as waivers, findings as findings."""

from __future__ import annotations

from collections.abc import Sequence

from toolkit.audit.result import FindingRecord, WaiverRecord


def plural(count: int, noun: str) -> str:
    """'1 finding', '3 findings' (thousands separated)."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def waived_line(findings: Sequence[FindingRecord], waivers: Sequence[WaiverRecord]) -> str:
    """'4 of 40 findings are waived, by 2 waivers in force.' (or that none is)."""
    waived = sum(1 for f in findings if f.waived)
    in_force = sum(1 for w in waivers if w.state == "active" and w.matched)
    if not waived:
        return f"None of the {plural(len(findings), 'finding')} is waived."
    return (
        f"{waived:,} of {plural(len(findings), 'finding')} "
        f"{'is' if waived == 1 else 'are'} waived, by {plural(in_force, 'waiver')} in force."
    )


def ended_lines(waivers: Sequence[WaiverRecord]) -> list[str]:
    """Per end state: '1 waiver, expired, covering 11 findings (they count as open).'"""
    lines = []
    for state in ("expired", "revoked"):
        ended = [w for w in waivers if w.state == state]
        if not ended:
            continue
        covered = sum(w.matched for w in ended)
        lines.append(
            f"{plural(len(ended), 'waiver')}, {state}, covering {plural(covered, 'finding')}"
            + (" (they count as open)." if covered else ".")
        )
    return lines


def waiver_lines(findings: Sequence[FindingRecord], waivers: Sequence[WaiverRecord]) -> list[str]:
    """The summary's waiver sentences: waived findings, then ended waivers and what they cover."""
    return [waived_line(findings, waivers), *ended_lines(waivers)]
