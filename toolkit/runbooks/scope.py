"""What expressions read: the latest record of each step, seen from one playbook's namespace."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from toolkit.runbooks.checks import INPUTS
from toolkit.runbooks.expr import MISSING, Evaluation, evaluate, parse
from toolkit.runbooks.model import DONE, IncidentView, StepView
from toolkit.timeutil import isoformat


@dataclass(frozen=True)
class Scope:
    """The incident and the latest record per step key."""

    incident: IncidentView
    latest: dict[str, StepView]

    @classmethod
    def of(cls, incident: IncidentView, records: Sequence[StepView]) -> Scope:
        """Records are in creation order; the last one per step wins."""
        latest: dict[str, StepView] = {}
        for record in records:
            latest[record.step_id] = record
        return cls(incident, latest)

    def lookup(self, namespace: str) -> Any:
        """A lookup function for names written in the playbook included at ``namespace``."""

        def find(name: tuple[str, ...]) -> Any:
            root = name[0]
            if root == "incident":
                fact = getattr(self.incident, name[1], MISSING)
                return isoformat(fact) if isinstance(fact, datetime) else fact
            step = INPUTS if root == INPUTS else name[1]
            path = name[1:] if root == INPUTS else name[2:]
            record = self.latest.get(namespace + step)
            if record is None:
                return MISSING
            if root == "status":
                return record.status
            if record.status != DONE:
                return MISSING
            section = "outputs" if root == "outputs" else "answers"
            value: Any = record.output.get(section, {})
            for part in path:
                if not isinstance(value, dict) or part not in value:
                    return MISSING
                value = value[part]
            return value

        return find

    def evaluate(self, text: str, namespace: str) -> Evaluation:
        """Evaluate an expression written in the playbook at ``namespace``."""
        return evaluate(parse(text), self.lookup(namespace))

    def outputs(self) -> dict[str, dict[str, Any]]:
        """Outputs of every done step, by key."""
        return {
            key: dict(record.output.get("outputs", {}))
            for key, record in self.latest.items()
            if record.status == DONE and record.output.get("outputs")
        }
