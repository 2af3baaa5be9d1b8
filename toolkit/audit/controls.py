"""Control status per framework: fails, holds, not evaluated, or manual (RESULT_CONTRACT.md)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.rules.frameworks import Control, Framework
    from toolkit.rules.guardrails import Guardrail

FAILS, HOLDS, NOT_EVALUATED, MANUAL = "fails", "holds", "not_evaluated", "manual"


def control_status(control: Control, evaluated: set[str], open_by_rule: Counter[str]) -> str:
    """``fails`` if a mapped rule has an unwaived finding; ``holds`` if all ran clean;
    ``not_evaluated`` if one did not run and none fails; ``manual`` if no rule maps to it."""
    if control.manual:
        return MANUAL
    if any(open_by_rule[rule] for rule in control.rules):
        return FAILS
    if all(rule in evaluated for rule in control.rules):
        return HOLDS
    return NOT_EVALUATED


def control_record(
    control: Control,
    status: str,
    total: Counter[str],
    waived: Counter[str],
    guardrails: list[dict[str, Any]],
) -> dict[str, Any]:
    """One control as it appears in the result document."""
    return {
        "id": control.id,
        "title": control.title,
        "statement": control.statement,
        "citation": control.citation,
        "rules": list(control.rules),
        "status": status,
        "findings": sum(total[r] for r in control.rules),
        "waived": sum(waived[r] for r in control.rules),
        "thresholds": dict(control.thresholds),
        "guardrails": guardrails,
        "organisation_choice": control.organisation_choice,
    }


def frameworks_section(
    frameworks: list[Framework],
    rules: list[dict[str, Any]],
    findings: list[dict[str, Any]],
    guardrails: list[Guardrail],
) -> list[dict[str, Any]]:
    """Every selected framework with the status of each of its controls."""
    evaluated = {r["id"] for r in rules if r["status"] == "evaluated"}
    total = Counter(f["rule_id"] for f in findings)
    waived = Counter(f["rule_id"] for f in findings if (f["waiver"] or {}).get("state") == "waived")
    open_by_rule = total - waived
    by_control: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for guardrail in guardrails:
        by_control.setdefault((guardrail.framework, guardrail.control), []).append(
            guardrail.for_control()
        )
    out = []
    for framework in frameworks:
        controls = [
            control_record(
                control,
                control_status(control, evaluated, open_by_rule),
                total,
                waived,
                by_control.get((framework.id, control.id), []),
            )
            for control in framework.controls
        ]
        out.append(
            {
                "id": framework.id,
                "name": framework.name,
                "version": framework.version,
                "source": framework.source,
                "controls": controls,
            }
        )
    return out
