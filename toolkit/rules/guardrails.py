"""Guardrails: where a selected framework states a number and the policy is looser, say so."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import asdict, dataclass
from typing import Any

from toolkit.rules.frameworks import Control, select
from toolkit.rules.policy import EnvironmentPolicy, Policy


@dataclass(frozen=True)
class Guardrail:
    """A policy value looser than the number a framework control states."""

    framework: str
    control: str
    policy_key: str
    policy_value: Any
    framework_value: Any
    note: str

    def for_control(self) -> dict[str, Any]:
        """The record attached to a control in the result (without framework/control ids)."""
        data = asdict(self)
        del data["framework"], data["control"]
        return data


def months_to_days(months: float) -> int:
    """A framework's months as days: whole years are 365 days each, other months 30 days."""
    if months % 12 == 0:
        return int(months // 12 * 365)
    return int(months * 30)


def _environments(policy: Policy) -> Iterator[tuple[str, EnvironmentPolicy]]:
    """Every environment section with its policy path, the default one last."""
    for name, env in sorted(policy.environments.items()):
        yield f"environments.{name}", env
    yield "default_environment", policy.default_environment


def _per_env(attr: Callable[[EnvironmentPolicy], int], suffix: str) -> Any:
    """A comparison over every environment: policy value above the framework's is looser."""

    def compare(policy: Policy, value: float) -> Iterator[tuple[str, Any, Any]]:
        for path, env in _environments(policy):
            if attr(env) > value:
                yield f"{path}.{suffix}", attr(env), value

    return compare


def _single(get: Callable[[Policy], float], key: str, stricter: str, scale: Any = None) -> Any:
    """A comparison of one policy value; ``stricter`` is ``lower`` or ``higher``."""

    def compare(policy: Policy, value: float) -> Iterator[tuple[str, Any, Any]]:
        wanted = scale(value) if scale else value
        mine = get(policy)
        if (mine > wanted) if stricter == "lower" else (mine < wanted):
            yield key, mine, wanted

    return compare


COMPARISONS: dict[str, Callable[[Policy, float], Iterator[tuple[str, Any, Any]]]] = {
    "unused_days": _per_env(lambda env: env.unused_limit, "unused_days"),
    "rotation_days": _per_env(lambda env: env.rotation_days, "rotation_days"),
    "failed_auth": _single(lambda p: p.failed_auth.threshold, "failed_auth.threshold", "lower"),
    "retention_months": _single(
        lambda p: p.log_retention.required_days,
        "log_retention.required_days",
        "higher",
        months_to_days,
    ),
    "online_months": _single(
        lambda p: p.log_retention.immediately_available_days,
        "log_retention.immediately_available_days",
        "higher",
        months_to_days,
    ),
}
"""Framework threshold name (as in the framework files' ``thresholds``) -> policy comparison.

Other threshold names (lockout minutes, password length...) have no policy counterpart."""


def control_guardrails(policy: Policy, framework_id: str, control: Control) -> list[Guardrail]:
    """The guardrails of one control: each of its numbers the policy is looser than (a manual
    control's numbers are not the policy's business: no rule reads them there)."""
    found: list[Guardrail] = []
    if control.manual:
        return found
    for name, value in sorted(control.thresholds.items()):
        compare = COMPARISONS.get(name)
        for key, mine, wanted in compare(policy, value) if compare else ():
            note = (
                f"policy {key} = {mine} is looser than {framework_id} {control.id}'s "
                f"{name} = {value}"
                + (f" ({wanted} days)" if wanted != value else "")
                + "; the control is reported with this deviation"
            )
            found.append(Guardrail(framework_id, control.id, key, mine, wanted, note))
    return found


def guardrails(policy: Policy, framework_ids: Collection[str] | None) -> list[Guardrail]:
    """Guardrails for every control of the selected frameworks (all shipped ones when empty)."""
    return [
        guardrail
        for framework in select(framework_ids)
        for control in framework.controls
        for guardrail in control_guardrails(policy, framework.id, control)
    ]
