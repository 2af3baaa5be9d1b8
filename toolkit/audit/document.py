"""Building the audit result document (``ResultDocument``) from an evaluated run."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any, Literal

from toolkit import __version__
from toolkit.audit.controls import frameworks_section
from toolkit.audit.coverage import Populations
from toolkit.audit.key_sections import KeyIndex, judged, keys_section
from toolkit.audit.response_record import STATUSES, ResponseBook, ResponseFacts
from toolkit.audit.result import (
    SCHEMA,
    AttestationRecord,
    FindingRecord,
    FindingWaiver,
    FrameworkRecord,
    InputFile,
    LogsSection,
    Period,
    ResultDocument,
    RuleRecord,
    Summary,
    TraceRecord,
    UnjudgedRecord,
    UsageRecord,
    WaiverRecord,
)
from toolkit.audit.scope import scope_section
from toolkit.construct import trusted
from toolkit.models import KeyBase
from toolkit.rules.catalogue import RULES, RULESET_VERSION, rule_thresholds
from toolkit.rules.engine import Evaluation
from toolkit.rules.frameworks import Framework
from toolkit.rules.guardrails import Guardrail
from toolkit.rules.interface import EventWindow, Severity
from toolkit.rules.policy import Policy
from toolkit.rules.waivers import EXPIRED, WAIVED, WaivedFinding, waiver_record
from toolkit.store.tables import Waiver
from toolkit.timeutil import ensure_utc, isoformat

SEVERITIES = [s.value for s in Severity]


@dataclass
class AuditParts:
    """Everything a result document is made from (all already evaluated)."""

    as_of: datetime
    policy: Policy
    frameworks: list[Framework]
    inputs: list[InputFile]
    keys: Sequence[KeyBase]
    evaluation: Evaluation
    waived: list[WaivedFinding]
    waivers: Sequence[Waiver]
    guardrails: list[Guardrail] = field(default_factory=list)
    usage: list[UsageRecord] = field(default_factory=list)
    logs: LogsSection | None = None
    period_start: datetime | None = None
    attested: Mapping[tuple[str, str], list[AttestationRecord]] = field(default_factory=dict)
    traces: Mapping[EventWindow, TraceRecord] = field(default_factory=dict)
    scan_roots: Sequence[str] | None = None
    responses: Mapping[str, ResponseFacts] = field(default_factory=dict)
    first_found: Mapping[str, datetime] = field(default_factory=dict)


SCALARS = (str, int, float, bool, type(None))


def plain(value: Any) -> Any:
    """A value as JSON-ready data: datetimes as ISO 8601 UTC, enums as values, tuples as lists."""
    if type(value) in SCALARS:
        return value
    if isinstance(value, datetime):
        return isoformat(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return dict(sorted((str(k), plain(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(plain(v) for v in value)
    return value


def stable_id(rule_id: str, subject: str, provider: str | None) -> str:
    """A finding's id across runs: SHA-256 of rule id, provider (if any) and subject, 16 hex."""
    text = f"{rule_id}|{provider}|{subject}" if provider else f"{rule_id}|{subject}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def waiver_of(item: WaivedFinding) -> FindingWaiver | None:
    """The waiver part of a finding: None, or the waiver with state waived/expired."""
    if item.waiver is None or item.state not in (WAIVED, EXPIRED):
        return None
    w = item.waiver
    assert w.id is not None, "a stored waiver has an id"
    state: Literal["waived", "expired"] = "waived" if item.state == WAIVED else "expired"
    return FindingWaiver.model_construct(
        id=w.id, owner=w.owner, reason=w.reason, expires_at=isoformat(w.expires_at), state=state
    )


def findings_section(
    waived: list[WaivedFinding],
    keys: KeyIndex,
    book: ResponseBook,
    traces: Mapping[EventWindow, TraceRecord] | None = None,
) -> list[FindingRecord]:
    """Every finding (waived ones included), in the engine's order, with stable unique ids.

    ``traces`` holds the logged events behind log findings, by the finding's event window.
    """
    traces = traces or {}
    out, seen = [], Counter[str]()
    tiers = {rule_id: module.RULE.tier.value for rule_id, module in RULES.items()}
    for item in waived:
        f = item.finding
        base = stable_id(f.rule_id, f.subject, f.provider)
        seen[base] += 1
        fid = base if seen[base] == 1 else f"{base}-{seen[base]}"
        key, severity = keys.ref(f.subject, f.provider), Severity(f.severity).value
        values = {  # in FindingRecord's (alphabetical) field order
            "environment": f.environment,
            "evidence": plain(f.evidence),
            "id": fid,
            "key": key,
            "message": f.message,
            "provider": f.provider,
            "response": book.record(fid, severity, key.owner if key else None, item.waived),
            "rule_id": f.rule_id,
            "severity": severity,
            "subject": f.subject,
            "tier": tiers.get(f.rule_id),
            "trace": traces.get(f.window) if f.window else None,
            "waiver": waiver_of(item),
        }
        out.append(trusted(FindingRecord, values, in_order=True))
    return out


def rules_section(
    evaluation: Evaluation, policy: Policy, findings: list[FindingRecord]
) -> list[RuleRecord]:
    """Every rule in catalogue order: metadata, the policy values it read, status and count."""
    counts = Counter(f.rule_id for f in findings)
    out = []
    for rule_id, module in RULES.items():
        meta = module.RULE.metadata()
        meta["thresholds"] = plain(rule_thresholds(module.RULE, policy))
        meta["status"] = evaluation.status.get(rule_id, "not_evaluated")
        meta["reason"] = evaluation.reasons.get(rule_id)
        meta["findings"] = counts[rule_id]
        meta["not_evaluated_for"] = [
            UnjudgedRecord.model_construct(
                subject=u.subject, provider=u.provider, environment=u.environment, reason=u.reason
            )
            for u in evaluation.unjudged.get(rule_id, [])
        ]
        out.append(RuleRecord.model_construct(**meta))
    return out


def waivers_section(
    waivers: Sequence[Waiver], waived: list[WaivedFinding], as_of: datetime
) -> list[WaiverRecord]:
    """Every waiver known at the run, with its state at as-of and how many findings it matched."""
    matched = Counter(item.waiver.id for item in waived if item.waiver is not None)
    return [
        WaiverRecord.model_construct(
            **plain(waiver_record(w, as_of, matched[w.id])),
            created_after_as_of=ensure_utc(w.created_at) > as_of,
        )
        for w in waivers
    ]


CONTROL_STATES = ("fails", "holds", "not_evaluated", "manual")


def summary_section(
    findings: list[FindingRecord], frameworks: list[FrameworkRecord], rules: list[RuleRecord]
) -> Summary:
    """Counts for the summary: by severity (all findings), waived, per environment, controls."""
    states: Counter[str | None] = Counter(f.waiver.state if f.waiver else None for f in findings)
    by_env: dict[str, Counter[str]] = {}
    for f in findings:
        env = f.environment or (f.key.environment if f.key else None) or "unknown"
        by_env.setdefault(env, Counter())[f.severity] += 1
    severities: Counter[str] = Counter(f.severity for f in findings)
    statuses: Counter[str] = Counter(f.response.status for f in findings)
    controls: dict[str, Counter[str]] = {
        fw.id: Counter(c.status for c in fw.controls) for fw in frameworks
    }
    return Summary.model_construct(
        findings=len(findings),
        open=len(findings) - states[WAIVED],
        overdue=sum(1 for f in findings if f.response.overdue),
        responses={s: statuses[s] for s in sorted(STATUSES)},
        by_severity={s: severities[s] for s in sorted(SEVERITIES)},
        waived=states[WAIVED],
        expired_waivers=states[EXPIRED],
        by_environment={env: dict(sorted(c.items())) for env, c in sorted(by_env.items())},
        controls={
            fw: {s: n[s] for s in sorted(CONTROL_STATES)} for fw, n in sorted(controls.items())
        },
        not_evaluated_rules=[r.id for r in rules if r.status != "evaluated"],
    )


def period(parts: AuditParts) -> Period:
    """The reporting period: from the first log event (else as-of minus 90 days) to as-of."""
    start = parts.period_start or parts.as_of - timedelta(days=90)
    return Period.model_construct(
        start=isoformat(min(start, parts.as_of)) or "", end=isoformat(parts.as_of) or ""
    )


def build_document(parts: AuditParts) -> ResultDocument:
    """The whole result document; no run id, creation time or actor (see RESULT_CONTRACT.md).

    Built without validation (``model_construct``, and ``trusted`` for the large lists): every
    part comes from validated inputs, and validating a document of 100,000 keys again would
    cost seconds. The golden tests hold its bytes.
    """
    as_of = ensure_utc(parts.as_of)
    book = ResponseBook(as_of, parts.policy.remediation_days, parts.responses, parts.first_found)
    findings = findings_section(parts.waived, KeyIndex(parts.keys), book, parts.traces)
    rules = rules_section(parts.evaluation, parts.policy, findings)
    keys = keys_section(parts.keys, parts.policy, as_of, findings)
    pops = Populations.of(keys, parts.logs, parts.scan_roots, rules, judged(parts.keys, keys))
    frameworks = frameworks_section(
        parts.frameworks, pops, findings, parts.guardrails, parts.attested
    )
    return ResultDocument.model_construct(
        schema_id=SCHEMA,
        scope=scope_section(parts.keys, parts.logs, as_of, parts.scan_roots),
        as_of=isoformat(as_of) or "",
        period=period(parts),
        organisation=parts.policy.organisation,
        tool_version=__version__,
        ruleset_version=RULESET_VERSION,
        frameworks_selected=[f.id for f in parts.frameworks],
        inputs=parts.inputs,
        policy=plain(parts.policy.effective()),
        policy_digest=parts.policy.digest(),
        rules=rules,
        findings=findings,
        keys=keys,
        usage=parts.usage,
        logs=parts.logs,
        waivers=waivers_section(parts.waivers, parts.waived, as_of),
        frameworks=frameworks,
        summary=summary_section(findings, frameworks, rules),
    )
