"""The policy: every threshold the rules read; defaults are the seed's numbers."""

from __future__ import annotations

import hashlib
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from toolkit.errors import PolicyError
from toolkit.rules.settings import DetectionSettings

DEFAULT_ENVIRONMENTS = {"prod": 90, "staging": 30, "dev": 90}
"""Seed, "Secret Rotation Procedures / Frequency": production 90 (30-90), staging 30, dev 90."""

BROAD_SCOPES = ("*", "*:*", "admin", "root", "all", "full_access", "owner", "superuser")
"""Scopes that grant everything (seed: "Grant minimum necessary access")."""


class _Strict(BaseModel):
    """A policy section: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class EnvironmentPolicy(_Strict):
    """Thresholds for one environment (prod, staging, dev or the user's own names)."""

    rotation_days: int = Field(gt=0, description="rotate keys at least this often")
    unused_days: int | None = Field(
        default=None, gt=0, description="flag keys unused this long; default: rotation_days"
    )
    cardholder_data: bool = Field(
        default=False,
        description="every key of this environment protects stored account data (PCI DSS "
        "3.6/3.7 scope), as if the inventory marked each one cardholder_data",
    )

    @property
    def unused_limit(self) -> int:
        """Days without use before a key counts as unused (the rotation period unless set)."""
        return self.unused_days if self.unused_days is not None else self.rotation_days


class FailedAuth(_Strict):
    """Failed-authentication burst: more than ``threshold`` failures within ``window_seconds``."""

    threshold: int = Field(default=10, ge=1)
    window_seconds: int = Field(default=60, ge=1)


class DeniedBurst(_Strict):
    """Denied-call burst: more than ``threshold`` denied calls within ``window_seconds``."""

    threshold: int = Field(default=20, ge=1)
    window_seconds: int = Field(default=60, ge=1)


class LogRetention(_Strict):
    """How much access-log history must exist (PCI DSS 10.5.1: 12 months, latest 3 at hand)."""

    required_days: int = Field(default=365, ge=0, description="history the logs must cover")
    immediately_available_days: int = Field(default=90, ge=0, description="of it, at hand")
    max_gap_hours: float = Field(default=24.0, gt=0, description="silence longer than this: gap")


class RemediationDays(_Strict):
    """Days to fix a finding, per severity, counted from the first run that found it.

    The organisation's choice: the organisation's policy sets no remediation deadline.
    """

    critical: int = Field(default=7, ge=1)
    high: int = Field(default=30, ge=1)
    medium: int = Field(default=90, ge=1)
    low: int = Field(default=180, ge=1)
    info: int = Field(default=365, ge=1)

    def days(self, severity: str) -> int:
        """The days allowed for a finding of ``severity``."""
        return int(getattr(self, severity))


class Detections(_Strict):
    """Tuning of the log rules; field names are those of ``rules.settings.DetectionSettings``."""

    baseline_days: int = Field(default=30, ge=1, description="a key's normal: its first N days")
    min_baseline_days: int = Field(default=7, ge=1, description="judge keys with this much history")
    anomaly_mad_threshold: float = Field(default=5.0, gt=0, description="median + k x MAD")
    anomaly_min_events: int = Field(default=50, ge=1, description="ignore smaller days")
    rate_period_days: int = Field(default=7, ge=1, description="periods compared for rates")
    rate_increase_factor: float = Field(default=2.0, gt=1, description="failure rate x previous")
    rate_min_failures: int = Field(default=20, ge=1, description="failures needed in the period")
    rate_min_rate: float = Field(default=0.05, ge=0, le=1, description="failure rate needed")
    rate_min_events: int = Field(default=50, ge=1, description="events needed in each period")
    trend_factor: float = Field(default=3.0, gt=1, description="weekly volume x previous week")
    trend_min_events: int = Field(default=100, ge=1, description="events needed for a trend")
    last_used_tolerance_hours: float = Field(default=24.0, ge=0, description="inventory vs logs")
    ignore_temporary_keys: bool = Field(default=True, description="AWS ASIA... ids not unknown")


CLOCK_EVENTS: tuple[str, ...] = (
    "exposure_start",
    "detected",
    "aware",
    "discovered",
    "determined",
    "opened",
    "revoked",
    "closed",
)
"""Incident events a clock may run from; the commander records each (or it is the open time)."""


class IncidentClock(_Strict):
    """A deadline (or a window) an incident is bound by: regulation or internal target."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", description="stable id, e.g. gdpr-art33")
    title: str = Field(min_length=1, description="what must happen, e.g. notify the authority")
    citation: str | None = Field(default=None, description="the rule it comes from")
    starts: str = Field(description="the incident event it runs from: " + ", ".join(CLOCK_EVENTS))
    due: str = Field(description="how long after: 30m, 72h, 60d, 4bd (business days), 1mo")
    kind: str = Field(default="deadline", pattern="^(deadline|window)$")
    applies_if: str | None = Field(default=None, description="expression; absent: always")
    stopped_by: tuple[str, ...] = Field(default=(), description="steps whose completion stop it")
    note: str | None = None

    @field_validator("starts")
    @classmethod
    def _known_event(cls, value: str) -> str:
        """Only the incident events keyvigil records."""
        if value not in CLOCK_EVENTS:
            raise ValueError(f"expected one of {', '.join(CLOCK_EVENTS)}")
        return value

    @field_validator("due")
    @classmethod
    def _duration(cls, value: str) -> str:
        """A duration keyvigil can add to a time."""
        if not re.match(r"^\s*\d+\s*(m|h|d|bd|mo)\s*$", value):
            raise ValueError("not a duration (use e.g. 30m, 72h, 60d, 4bd, 1mo)")
        return value


class Policy(_Strict):
    """Every threshold keyvigil's rules read. Defaults are the seed's numbers."""

    organisation: str = "Example Org"
    environments: dict[str, EnvironmentPolicy] = Field(
        default_factory=lambda: {
            name: EnvironmentPolicy(rotation_days=days)
            for name, days in DEFAULT_ENVIRONMENTS.items()
        }
    )
    default_environment: EnvironmentPolicy = EnvironmentPolicy(rotation_days=90)
    expiring_soon_days: int = Field(default=7, ge=0)
    rotation_overlap_hours: int = Field(default=48, ge=0)
    min_entropy_bits: int = Field(default=256, ge=0)
    broad_scope_patterns: tuple[str, ...] = BROAD_SCOPES
    new_key_window_hours: int = Field(default=24, ge=1)
    failed_auth: FailedAuth = FailedAuth()
    denied_burst: DeniedBurst = DeniedBurst()
    log_retention: LogRetention = LogRetention()
    detections: Detections = Detections()
    config_file_mode: str = Field(default="0600", pattern=r"^0?[0-7]{3}$")
    remediation_days: RemediationDays = RemediationDays()
    incident_clocks: tuple[IncidentClock, ...] = Field(
        default=(), description="clocks every incident runs besides its playbook's (NIS2, SEC...)"
    )

    @field_validator("environments", mode="before")
    @classmethod
    def _merge_environments(cls, value: Any) -> Any:
        """User environments are added to (or override) prod/staging/dev; names lower-cased."""
        if not isinstance(value, dict):
            return value
        merged: dict[Any, Any] = {n: {"rotation_days": d} for n, d in DEFAULT_ENVIRONMENTS.items()}
        for name, entry in value.items():
            merged[str(name).lower()] = entry
        return merged

    def environment(self, name: str | None) -> EnvironmentPolicy:
        """Thresholds for environment ``name``; unknown or missing -> ``default_environment``."""
        if name is None:
            return self.default_environment
        return self.environments.get(name.lower(), self.default_environment)

    def effective(self) -> dict[str, Any]:
        """The policy as plain data with every default filled in (``unused_days`` resolved)."""
        data = self.model_dump(mode="json", exclude={"incident_clocks"})
        for name, env in self.environments.items():
            data["environments"][name]["unused_days"] = env.unused_limit
        data["default_environment"]["unused_days"] = self.default_environment.unused_limit
        data["broad_scope_patterns"] = list(self.broad_scope_patterns)
        return data

    def digest(self) -> str:
        """SHA-256 of the canonical JSON of the effective policy."""
        text = json.dumps(self.effective(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def detection_settings(self) -> DetectionSettings:
        """The log rules' ``DetectionSettings`` built from this policy's numbers."""
        return DetectionSettings(
            failed_auth_threshold=self.failed_auth.threshold,
            failed_auth_window_seconds=self.failed_auth.window_seconds,
            denied_threshold=self.denied_burst.threshold,
            denied_window_seconds=self.denied_burst.window_seconds,
            retention_required_days=self.log_retention.required_days,
            recent_days=self.log_retention.immediately_available_days,
            max_gap_hours=self.log_retention.max_gap_hours,
            **self.detections.model_dump(),
        )


def _error_path(loc: tuple[Any, ...]) -> str:
    """A pydantic error location as a dotted YAML path."""
    return ".".join(str(part) for part in loc) or "(top level)"


def _describe(error: ErrorDetails) -> str:
    """One validation error as ``path: reason`` without echoing the offending value."""
    if error["type"] == "extra_forbidden":
        return f"{_error_path(error['loc'])}: unknown key"
    return f"{_error_path(error['loc'])}: {error['msg']}"


def parse_policy(data: Any, source: str) -> Policy:
    """Validate a mapping as a policy; errors name ``source`` and the YAML path."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PolicyError(f"{source}: the policy must be a mapping of keys to values")
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(_describe(e) for e in exc.errors(include_input=False))
        raise PolicyError(f"{source}: {problems}") from None


def load_policy(path: Path | str | None = None) -> Policy:
    """Load the policy file at ``path`` (None: the seed's defaults)."""
    if path is None:
        return Policy()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"{path}: cannot read policy file ({exc.strerror})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise PolicyError(f"{path}{where}: not valid YAML") from None
    return parse_policy(data, str(path))


def commented_template() -> str:
    """The shipped commented policy file (defaults, with where each number comes from)."""
    return resources.files("toolkit.rules").joinpath("policy_default.yaml").read_text("utf-8")


def write_template(path: Path, *, force: bool = False) -> Path:
    """Write the commented default policy to ``path``; refuse to overwrite unless ``force``."""
    if path.exists() and not force:
        raise PolicyError(f"{path}: already exists (use --force to overwrite)")
    try:
        path.write_text(commented_template(), encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"{path}: cannot write policy file ({exc.strerror})") from None
    return path
