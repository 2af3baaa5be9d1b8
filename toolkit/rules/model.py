"""Validated rule metadata (``Rule``) and the one helper every rule uses to build a finding."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from toolkit.rules.interface import Finding, Needs, Severity, Tier
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

    @field_validator("title", "remediation", "description")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        """Reject text that is only whitespace."""
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

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


def provider_rotated(key: KeyBase) -> bool:
    """True for keys the provider itself rotates (GCP ``SYSTEM_MANAGED``): out of rotation rules."""
    return (key.key_type or "").upper() == "SYSTEM_MANAGED"


def days_between(start: datetime, end: datetime) -> float:
    """Days from ``start`` to ``end`` as a number rounded to 0.01 (evidence shows it)."""
    return round((end - start).total_seconds() / 86400, 2)
