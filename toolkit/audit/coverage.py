"""What each mapped rule tested for a control: the population, its exceptions and the coverage.

A control holds only on evidence that covers its requirement: its framework file says the rules
test the whole requirement (``covers: whole``) and every rule ran over its whole population. A
scan covers only the folders it read; a rule that could not judge some key covers part of them.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from toolkit.audit.result import (
    Coverage,
    FindingRecord,
    KeyRecord,
    LogsSection,
    RuleRecord,
    TestedRecord,
)
from toolkit.rules.frameworks import Control

FULL: Coverage = "full"
PARTIAL: Coverage = "partial"
NONE: Coverage = "none"
CARDHOLDER = "cardholder-data"


def plural(count: int, noun: str) -> str:
    """``1 exception``, ``3 exceptions``, ``1,234 keys`` (noun given in the singular)."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class Populations:
    """What the run's inputs offer to test: keys, log events and the scan's folders."""

    keys: frozenset[tuple[str, str]]
    cardholder: frozenset[tuple[str, str]]
    log_events: int = 0
    log_files: tuple[str, ...] = ()
    scan_roots: tuple[str, ...] | None = None
    rules: dict[str, RuleRecord] = field(default_factory=dict)
    judged: dict[str, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        keys: Sequence[KeyRecord],
        logs: LogsSection | None,
        scan_roots: Sequence[str] | None,
        rules: Sequence[RuleRecord],
        judged: dict[str, tuple[int, int]] | None = None,
    ) -> Populations:
        """The populations of one run (keys as the document records them); ``judged``: per rule
        judging only some keys, how many it judges and how many of those are marked."""
        return cls(
            keys=frozenset((k.provider, k.key_id) for k in keys),
            cardholder=frozenset((k.provider, k.key_id) for k in keys if k.cardholder_data),
            log_events=logs.events if logs else 0,
            log_files=tuple(s.path for s in logs.sources) if logs else (),
            scan_roots=tuple(scan_roots) if scan_roots is not None else None,
            rules={r.id: r for r in rules},
            judged=dict(judged or {}),
        )

    def in_scope(self, control: Control, finding: FindingRecord) -> bool:
        """Whether a finding counts for the control (cardholder-data: only on marked keys)."""
        if control.scope != CARDHOLDER:
            return True
        key = finding.key
        return key is not None and (key.provider, key.key_id) in self.cardholder


def _keys_tested(
    rule: RuleRecord, control: Control, pops: Populations, exceptions: int
) -> TestedRecord:
    """An inventory rule: the keys (or marked keys) it judged."""
    marked = control.scope == CARDHOLDER
    population = pops.cardholder if marked else pops.keys
    unjudged = (
        sum(1 for u in rule.not_evaluated_for if (u.provider or "", u.subject) in population)
        if marked
        else len(rule.not_evaluated_for)
    )
    in_scope = pops.judged.get(rule.id, (len(pops.keys), len(pops.cardholder)))[int(marked)]
    tested = max(in_scope - unjudged, 0)
    marking = " marked cardholder_data" if marked else ""
    text = f"{plural(tested, 'key')}{marking} tested"
    if in_scope < len(population):
        text += f" ({plural(len(population) - in_scope, 'other key')} outside the rule's scope)"
    text += f", {plural(exceptions, 'exception')}"
    if unjudged:
        text += f"; {plural(unjudged, 'key')} not judged"
    coverage = NONE if not population else PARTIAL if unjudged else FULL
    scope = ["keys the inventory marks cardholder_data"] if marked else ["every inventory key"]
    return _record(rule.id, coverage, exceptions, tested, scope, text, "keys")


def _events_tested(rule: RuleRecord, pops: Populations, exceptions: int) -> TestedRecord:
    """A log rule: the events of the log files given."""
    files = plural(len(pops.log_files), "log file")
    text = f"{plural(pops.log_events, 'log event')} from {files} tested, "
    text += plural(exceptions, "exception")
    coverage = PARTIAL if rule.not_evaluated_for else FULL if pops.log_events else NONE
    return _record(
        rule.id, coverage, exceptions, pops.log_events, list(pops.log_files), text, "log events"
    )


def _folders_tested(rule: RuleRecord, pops: Populations, exceptions: int) -> TestedRecord:
    """A scan rule: the folders scanned, never the whole estate (so never full coverage)."""
    roots = list(pops.scan_roots or ())
    text = f"{plural(len(roots), 'folder')} scanned: {folder_names(roots)}; "
    text += plural(exceptions, "exception")
    return _record(rule.id, PARTIAL, exceptions, len(roots), roots, text, "folders")


def folder_names(roots: Sequence[str]) -> str:
    """The scanned folders in words, relative to their common parent (no machine's full path):
    ``in service/: app, etc/app, var/log/app``."""
    if not roots:
        return "a scan-results file naming no folder"
    paths = [PurePath(root) for root in roots]
    if len(paths) == 1:
        return paths[0].name or str(paths[0])
    common = PurePath(os.path.commonpath([str(p) for p in paths]))
    names = ", ".join(str(p.relative_to(common)) for p in paths)
    return f"in {common.name}/: {names}" if common.name else names


def _record(
    rule_id: str,
    coverage: Coverage,
    exceptions: int,
    population: int,
    scope: list[str],
    summary: str,
    unit: str,
) -> TestedRecord:
    """A ``TestedRecord`` (fields in their alphabetical order)."""
    return TestedRecord.model_construct(
        coverage=coverage,
        exceptions=exceptions,
        population=population,
        rule_id=rule_id,
        scope=scope,
        summary=summary,
        unit=unit,
    )


def tested(control: Control, pops: Populations, findings: Counter[str]) -> list[TestedRecord]:
    """What each of the control's rules tested, with its exceptions (findings in scope)."""
    if control.scope == CARDHOLDER and not pops.cardholder:
        text = "0 keys marked cardholder_data: nothing to test"
        return [_record(rule_id, NONE, 0, 0, [], text, "keys") for rule_id in control.rules]
    out = []
    for rule_id in control.rules:
        rule = pops.rules[rule_id]
        if rule.status != "evaluated":
            why = f"not evaluated: {rule.reason or 'its input was missing'}"
            out.append(_record(rule_id, NONE, 0, 0, [], why, "none"))
        elif "scan" in rule.needs:
            out.append(_folders_tested(rule, pops, findings[rule_id]))
        elif "logs" in rule.needs:
            out.append(_events_tested(rule, pops, findings[rule_id]))
        else:
            out.append(_keys_tested(rule, control, pops, findings[rule_id]))
    return out


def coverage_of(control: Control, records: Sequence[TestedRecord]) -> tuple[Coverage, str | None]:
    """The control's coverage and, unless full, what is missing, in words."""
    if not records:
        return NONE, "No rule tests this control: a person must supply the evidence."
    states = {r.coverage for r in records}
    if states == {NONE}:
        if control.scope == CARDHOLDER and all(r.unit == "keys" for r in records):
            return NONE, (
                "No key in the inventory is marked cardholder_data, so none is known to protect "
                "stored account data: the requirement is assessed by hand."
            )
        return NONE, "None of its rules had the input to test it."
    if states == {FULL} and control.covers == "whole":
        return FULL, None
    notes = []
    if control.covers != "whole":
        notes.append("Its rules test part of the requirement; a person supplies the rest.")
    if any(r.unit == "folders" for r in records):
        notes.append("A scan covers only the folders it read.")
    if NONE in states:
        notes.append("Some of its rules were not evaluated.")
    if any(r.coverage == PARTIAL and r.unit != "folders" for r in records):
        notes.append("Some keys or events could not be judged.")
    return PARTIAL, " ".join(notes)
