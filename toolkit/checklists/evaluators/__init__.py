"""Evaluators: one module per kind of evidence an automatic checklist item rests on."""

from __future__ import annotations

from toolkit.checklists.evaluators import (
    access_audit_trail,
    distinct_secrets,
    incident_lessons,
    no_secrets_in_logs,
    playbooks_valid,
    recent_audit,
    rotation_schedule,
)
from toolkit.checklists.evaluators.interface import Evaluate

EVALUATORS: dict[str, Evaluate] = {
    module.ID: module.evaluate
    for module in (
        distinct_secrets,
        rotation_schedule,
        playbooks_valid,
        no_secrets_in_logs,
        access_audit_trail,
        recent_audit,
        incident_lessons,
    )
}
"""Evaluator id (as checklist files name it) -> its function."""
