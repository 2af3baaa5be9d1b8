"""The audit result document: one canonical, reproducible JSON value per run."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Any

from toolkit import __version__
from toolkit.audit.controls import frameworks_section
from toolkit.rules.catalogue import RULES, RULESET_VERSION, rule_thresholds
from toolkit.rules.interface import Severity
from toolkit.rules.waivers import EXPIRED, WAIVED, WaivedFinding, waiver_record
from toolkit.timeutil import ensure_utc, isoformat

if TYPE_CHECKING:
    from toolkit.models import KeyBase
    from toolkit.rules.engine import Evaluation
    from toolkit.rules.frameworks import Framework
    from toolkit.rules.guardrails import Guardrail
    from toolkit.rules.policy import Policy
    from toolkit.store.tables import Waiver

SCHEMA = "keyvigil.audit-result/1"
SEVERITIES = [s.value for s in Severity]


@dataclass
class AuditParts:
    """Everything a result document is made from (all already evaluated)."""

    as_of: datetime
    policy: Policy
    frameworks: list[Framework]
    inputs: list[dict[str, Any]]
    keys: Sequence[KeyBase]
    evaluation: Evaluation
    waived: list[WaivedFinding]
    waivers: Sequence[Waiver]
    guardrails: list[Guardrail] = field(default_factory=list)
    usage: list[dict[str, Any]] = field(default_factory=list)
    logs: dict[str, Any] | None = None
    period_start: datetime | None = None


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
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(plain(v) for v in value)
    return value


def stable_id(rule_id: str, subject: str, provider: str | None) -> str:
    """A finding's id across runs: SHA-256 of rule id, provider (if any) and subject, 16 hex."""
    text = f"{rule_id}|{provider}|{subject}" if provider else f"{rule_id}|{subject}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def fingerprint_prefix(key: KeyBase) -> str | None:
    """The first 12 hex digits of the key's fingerprint (a hash, never the value)."""
    return key.fingerprint[:12] if key.fingerprint else None


def key_summary(key: KeyBase) -> dict[str, Any]:
    """The key fields a finding carries."""
    return {
        "key_id": key.key_id,
        "name": key.name,
        "owner": key.owner,
        "environment": key.environment,
        "provider": key.provider,
        "fingerprint_prefix": fingerprint_prefix(key),
    }


class KeyIndex:
    """Finds the inventory key a finding is about: by (provider, key id), else a unique key id."""

    def __init__(self, keys: Sequence[KeyBase]) -> None:
        """Index the keys once."""
        self.exact = {(k.provider, k.key_id): k for k in keys}
        by_id: dict[str, list[KeyBase]] = {}
        for key in keys:
            by_id.setdefault(key.key_id, []).append(key)
        self.unique = {kid: found[0] for kid, found in by_id.items() if len(found) == 1}

    def find(self, subject: str, provider: str | None) -> KeyBase | None:
        """The key, or None when the subject is not one inventory key."""
        return self.exact.get((provider, subject)) if provider else self.unique.get(subject)


def waiver_of(item: WaivedFinding) -> dict[str, Any] | None:
    """The waiver part of a finding: None, or the waiver with state waived/expired."""
    if item.waiver is None or item.state not in (WAIVED, EXPIRED):
        return None
    w = item.waiver
    return {
        "id": w.id,
        "owner": w.owner,
        "reason": w.reason,
        "expires_at": isoformat(w.expires_at),
        "state": item.state,
    }


def findings_section(waived: list[WaivedFinding], keys: KeyIndex) -> list[dict[str, Any]]:
    """Every finding (waived ones included), in the engine's order, with stable unique ids."""
    out, seen = [], Counter[str]()
    for item in waived:
        f = item.finding
        base = stable_id(f.rule_id, f.subject, f.provider)
        seen[base] += 1
        key = keys.find(f.subject, f.provider)
        out.append(
            {
                "id": base if seen[base] == 1 else f"{base}-{seen[base]}",
                "rule_id": f.rule_id,
                "severity": Severity(f.severity).value,
                "tier": RULES[f.rule_id].RULE.tier.value if f.rule_id in RULES else None,
                "subject": f.subject,
                "message": f.message,
                "provider": f.provider,
                "environment": f.environment,
                "key": key_summary(key) if key is not None else None,
                "evidence": plain(f.evidence),
                "waiver": waiver_of(item),
            }
        )
    return out


def rules_section(
    evaluation: Evaluation, policy: Policy, findings: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Every rule in catalogue order: metadata, the policy values it read, status and count."""
    counts = Counter(f["rule_id"] for f in findings)
    out = []
    for rule_id, module in RULES.items():
        meta = module.RULE.metadata()
        meta["thresholds"] = plain(rule_thresholds(module.RULE, policy))
        meta["status"] = evaluation.status.get(rule_id, "not_evaluated")
        meta["reason"] = evaluation.reasons.get(rule_id)
        meta["findings"] = counts[rule_id]
        out.append(meta)
    return out


def keys_section(
    keys: Sequence[KeyBase], policy: Policy, as_of: datetime, findings: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Every key in scope with its dates, age and number of findings (no secret values)."""
    counts = Counter(
        (f["key"]["provider"], f["key"]["key_id"]) for f in findings if f["key"] is not None
    )
    out = []
    for key in keys:
        since = key.last_rotated_at or key.created_at
        age = (as_of - ensure_utc(since)).days if since else None
        record = key_summary(key)
        record.update(
            key_type=key.key_type,
            active=key.active,
            created_at=isoformat(key.created_at),
            expires_at=isoformat(key.expires_at),
            last_used_at=isoformat(key.last_used_at),
            last_rotated_at=isoformat(key.last_rotated_at),
            revoked_at=isoformat(key.revoked_at),
            age_days=age,
            rotation_limit_days=policy.environment(key.environment).rotation_days,
            finding_count=counts[(key.provider, key.key_id)],
        )
        out.append(record)
    return out


def waivers_section(
    waivers: Sequence[Waiver], waived: list[WaivedFinding], as_of: datetime
) -> list[dict[str, Any]]:
    """Every waiver known at the run, with its state at as-of and how many findings it matched."""
    matched = Counter(item.waiver.id for item in waived if item.waiver is not None)
    return [plain(waiver_record(w, as_of, matched[w.id])) for w in waivers]


def summary_section(doc: dict[str, Any]) -> dict[str, Any]:
    """Counts for the summary: by severity (all findings), waived, per environment, controls."""
    findings = doc["findings"]
    states = Counter((f["waiver"] or {}).get("state") for f in findings)
    by_env: dict[str, Counter[str]] = {}
    for f in findings:
        env = f["environment"] or (f["key"] or {}).get("environment") or "unknown"
        by_env.setdefault(env, Counter())[f["severity"]] += 1
    severities = Counter(f["severity"] for f in findings)
    controls = {
        fw["id"]: dict(Counter(c["status"] for c in fw["controls"])) for fw in doc["frameworks"]
    }
    return {
        "findings": len(findings),
        "open": len(findings) - states[WAIVED],
        "by_severity": {s: severities[s] for s in SEVERITIES},
        "waived": states[WAIVED],
        "expired_waivers": states[EXPIRED],
        "by_environment": {env: dict(sorted(c.items())) for env, c in sorted(by_env.items())},
        "controls": {fw: {s: n.get(s, 0) for s in CONTROL_STATES} for fw, n in controls.items()},
        "not_evaluated_rules": [r["id"] for r in doc["rules"] if r["status"] != "evaluated"],
    }


CONTROL_STATES = ("fails", "holds", "not_evaluated", "manual")


def period(parts: AuditParts) -> dict[str, str | None]:
    """The reporting period: from the first log event (else as-of minus 90 days) to as-of."""
    start = parts.period_start or parts.as_of - timedelta(days=90)
    return {"start": isoformat(min(start, parts.as_of)), "end": isoformat(parts.as_of)}


def build_document(parts: AuditParts) -> dict[str, Any]:
    """The whole result document; no run id, creation time or actor (see RESULT_CONTRACT.md)."""
    as_of = ensure_utc(parts.as_of)
    findings = findings_section(parts.waived, KeyIndex(parts.keys))
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "as_of": isoformat(as_of),
        "period": period(parts),
        "organisation": parts.policy.organisation,
        "tool_version": __version__,
        "ruleset_version": RULESET_VERSION,
        "frameworks_selected": [f.id for f in parts.frameworks],
        "inputs": plain(parts.inputs),
        "policy": plain(parts.policy.effective()),
        "policy_digest": parts.policy.digest(),
        "rules": rules_section(parts.evaluation, parts.policy, findings),
        "findings": findings,
        "keys": keys_section(parts.keys, parts.policy, as_of, findings),
        "usage": parts.usage,
        "logs": plain(parts.logs),
        "waivers": waivers_section(parts.waivers, parts.waived, as_of),
    }
    doc["frameworks"] = frameworks_section(
        parts.frameworks, doc["rules"], findings, parts.guardrails
    )
    doc["summary"] = summary_section(doc)
    return doc
