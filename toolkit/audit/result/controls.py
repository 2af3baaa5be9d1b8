"""Rules, guardrails, attestations and framework controls: what was tested, what holds."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from toolkit.audit.result.base import (
    AnyJson,
    ControlStatus,
    Coverage,
    Json,
    Record,
    Severity,
    Timestamp,
)
from toolkit.audit.result.findings import UnjudgedRecord


class RuleRecord(Record):
    """A rule of the catalogue: metadata, the policy values it read, status and count."""

    description: str = Field(description="what is checked and which keys are in scope")
    findings: int = Field(description="findings of this rule, waived included")
    id: str = Field(description="stable kebab-case rule id")
    needs: list[str] = Field(description="inputs it needs: inventory, logs, scan")
    not_evaluated_for: list[UnjudgedRecord] = Field(
        default_factory=list,
        description="subjects the rule ran over but could not judge (controls then do not hold)",
    )
    reason: str | None = Field(description="why it was not evaluated")
    remediation: str = Field(description="what to do about a finding")
    severity: Severity
    status: Literal["evaluated", "not_evaluated"]
    thresholds: Json = Field(description="policy path -> value read")
    tier: str = Field(description="alert tier: immediate, daily, weekly")
    title: str


class GuardrailRecord(Record):
    """A policy value looser than the number the framework control states."""

    framework_value: AnyJson = Field(description="the framework's number")
    note: str
    policy_key: str = Field(description="dotted path into the policy")
    policy_value: AnyJson = Field(description="the organisation's value")


class AttestationRecord(Record):
    """A person's attestation in force at the as-of time that evidences a manual control."""

    at: Timestamp = Field(description="when it was attested")
    by: str = Field(description="the named person")
    checklist: str = Field(description="the checklist the attested item belongs to")
    evidence_sha256: str | None = Field(description="SHA-256 of the evidence file, if any")
    holds: bool = Field(description="false: the person stated that it does not hold")
    item: str = Field(description="the attested item's id")
    note: str
    until: Timestamp = Field(description="when it runs out (the item's period)")


class TestedRecord(Record):
    """What one of a control's rules tested: its population, exceptions and coverage."""

    coverage: Coverage = Field(
        description="full: its whole population was judged; partial: some of it (a scan covers "
        "only its folders); none: nothing was tested"
    )
    exceptions: int = Field(description="findings of the rule within the control's scope")
    population: int = Field(description="how many keys, log events or folders were tested")
    rule_id: str
    scope: list[str] = Field(description="what was tested: folders scanned, log files, keys")
    summary: str = Field(description="the population in words: 'N keys tested, M exceptions'")
    unit: str = Field(description="keys, log events, folders, or none")


class ControlRecord(Record):
    """One control of a framework with its status."""

    attestations: list[AttestationRecord] = Field(
        default_factory=list,
        exclude_if=lambda value: not value,
        description="manual controls only (absent when none): checklist attestations in force",
    )
    citation: str = Field(description="where the framework says so")
    coverage: Coverage = Field(
        description="full: its rules test the whole requirement over their whole population; "
        "partial: only part of it; none: nothing tested it"
    )
    coverage_note: str | None = Field(description="what the evidence leaves out (null: full)")
    findings: int = Field(description="findings of its rules in its scope, waived included")
    guardrails: list[GuardrailRecord] = Field(description="policy values looser than those")
    id: str = Field(description="the framework's own control id")
    organisation_choice: str | None = Field(description="what the framework leaves to you")
    rationale: str | None = Field(description="why its rules evidence it, quoting the requirement")
    rules: list[str] = Field(description="rules that evidence it (empty: manual)")
    scope: str = Field(description="all-keys, or cardholder-data: only keys marked so count")
    statement: str = Field(description="what the control requires")
    status: ControlStatus = Field(
        description="fails: an unwaived finding in scope; holds: no finding and full coverage; "
        "not_evaluated: a rule lacked input or could not judge some key; manual: no rule maps "
        "to it, or its evidence covers the requirement only in part (listed in tested)"
    )
    tested: list[TestedRecord] = Field(
        description="per rule: the population tested, its exceptions and coverage"
    )
    thresholds: Json = Field(description="numbers the framework states")
    title: str
    waived: int = Field(description="findings covered by a waiver in force")


class FrameworkRecord(Record):
    """A selected framework and every one of its controls."""

    controls: list[ControlRecord]
    id: str = Field(description="soc2, pci-dss, gdpr, hipaa or your own")
    name: str
    source: str = Field(description="the framework text the mapping follows")
    version: str
