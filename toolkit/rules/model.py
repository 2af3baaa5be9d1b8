"""Validated rule metadata (``Rule``) and the helpers rules use to build findings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from toolkit.rules.interface import (
    Finding,
    Hit,
    LogCheck,
    Needs,
    RuleInputs,
    Severity,
    Tier,
    Unjudged,
)
from toolkit.timeutil import isoformat

if TYPE_CHECKING:
    from toolkit.models import KeyBase


class Rule(BaseModel):
    """A rule's metadata, validated when its module is imported.

    ``thresholds`` are dotted paths into ``Policy.effective()`` (``*`` matches any key, e.g.
    ``environments.*.rotation_days``); the registry checks each one resolves.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$", description="stable kebab-case id")
    title: str = Field(min_length=3, description="one line saying what fails")
    severity: Severity
    tier: Tier = Field(description="the seed's alert tier: immediate, daily or weekly")
    remediation: str = Field(min_length=10, description="what to do about a finding")
    description: str = Field(
        min_length=10, description="what is checked and which keys are in scope"
    )
    needs: tuple[Needs, ...] = Field(min_length=1, description="inputs needed to evaluate it")
    thresholds: tuple[str, ...] = Field(default=(), description="policy paths the rule reads")
    checks: tuple[LogCheck, ...] = Field(
        default=(), exclude=True, description="a log rule's queries (not metadata)"
    )
    judges: Callable[[Any], bool] | None = Field(
        default=None,
        exclude=True,
        description="which inventory keys it judges, when not every key (not metadata): the "
        "population a control's 'N keys tested' counts",
    )

    @field_validator("title", "remediation", "description")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        """Reject text that is only whitespace."""
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @model_validator(mode="after")
    def _checks_iff_logs(self) -> Rule:
        """A rule that needs logs has checks, and only such a rule; the first is named after it."""
        if (Needs.LOGS in self.needs) != bool(self.checks):
            raise ValueError("a rule has log checks exactly when it needs logs")
        if self.checks and self.checks[0].id != self.id:
            raise ValueError("a log rule's first check is named after the rule")
        return self

    @property
    def module_name(self) -> str:
        """The catalogue module that must hold this rule (id in snake_case)."""
        return self.id.replace("-", "_")

    def metadata(self) -> dict[str, Any]:
        """JSON-ready metadata (enums as their values), stable for digests and outputs."""
        return self.model_dump(mode="json")


def evidence_value(value: Any) -> Any:
    """An evidence value as JSON data: times as ISO 8601, decimals as floats, containers too."""
    if isinstance(value, datetime):
        return isoformat(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return [evidence_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): evidence_value(v) for k, v in value.items()}
    return value


def key_finding(rule: Rule, key: KeyBase, message: str, **evidence: Any) -> Finding:
    """A finding of ``rule`` about one inventory key: subject = key id, no secret value."""
    return Finding(
        rule_id=rule.id,
        severity=rule.severity,
        subject=key.key_id,
        message=message,
        provider=key.provider,
        environment=key.environment,
        evidence={name: evidence_value(v) for name, v in evidence.items()},
    )


def key_unjudged(rule: Rule, key: KeyBase, reason: str) -> Unjudged:
    """``rule`` could not judge one inventory key: its input cannot show the fact (``reason``)."""
    return Unjudged(rule.id, key.key_id, reason, key.provider, key.environment)


def subject_finding(
    rule: Rule,
    subject: str,
    message: str,
    *,
    provider: str | None = None,
    environment: str | None = None,
    **evidence: Any,
) -> Finding:
    """A finding about something that is not an inventory key (a source IP, a file, the logs)."""
    return Finding(
        rule_id=rule.id,
        severity=rule.severity,
        subject=subject,
        message=message,
        provider=provider,
        environment=environment,
        evidence={name: evidence_value(v) for name, v in evidence.items()},
    )


def active_keys(keys: Any) -> Iterator[KeyBase]:
    """The keys that can still authenticate (enabled, not revoked)."""
    return (key for key in keys if key.active)


def is_active(key: KeyBase) -> bool:
    """The population of rules that judge only active keys (``Rule.judges``)."""
    return key.active


def provider_rotated(key: KeyBase) -> bool:
    """True for keys the provider itself rotates (GCP ``SYSTEM_MANAGED``): out of rotation rules."""
    return (key.key_type or "").upper() == "SYSTEM_MANAGED"


def days_between(start: datetime, end: datetime) -> float:
    """Days from ``start`` to ``end`` as a number rounded to 0.01 (evidence shows it)."""
    return round((end - start).total_seconds() / 86400, 2)


def hit_finding(
    rule: Rule, check: LogCheck, hit: Hit, at: datetime | None = None, *, name_check: bool = True
) -> Finding:
    """One log check's hit as a Finding of ``rule``, evidence as JSON data (never values).

    ``name_check`` adds the check's id to the evidence as ``detection``. This is the one
    place hits become findings, for alerts and audit runs alike.
    """
    evidence = {name: evidence_value(v) for name, v in sorted(hit.evidence.items())}
    if name_check:
        evidence["detection"] = check.id
    return Finding(
        rule_id=rule.id,
        severity=Severity(hit.severity),
        subject=str(hit.subject),
        message=hit.message,
        provider=hit.provider,
        environment=hit.environment,
        evidence=evidence,
        at=at,
    )


def log_findings(rule: Rule, inputs: RuleInputs) -> Iterator[Finding]:
    """A log rule's findings: one per hit of each of its checks.

    Evidence names the check only when the rule has several.
    """
    for check in rule.checks:
        for hit in inputs.check_hits(check.id):
            yield hit_finding(rule, check, hit, name_check=len(rule.checks) > 1)


def key_hit(row: dict[str, Any], severity: Severity, message: str, drop: tuple[str, ...]) -> Hit:
    """A Hit about an inventory key: subject, provider and environment from the row."""
    skip = {"key_id", "provider", "environment", "kid", *drop}
    evidence = {k: v for k, v in row.items() if k not in skip}
    return Hit(row["key_id"], severity, message, evidence, row["provider"], row["environment"])
