"""Deterministic audit result documents (RESULT_CONTRACT.md) for report tests and benchmarks.

Every document is validated by the typed model (``ResultDocument``), so these test documents
cannot drift from what an audit run writes.
"""

from __future__ import annotations

import hashlib
import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from toolkit.audit.response_record import STATUSES, ResponseBook, ResponseFacts
from toolkit.audit.result import ResultDocument
from toolkit.rules.policy import RemediationDays

AS_OF = datetime(2026, 10, 1, tzinfo=UTC)
LOG_START = datetime(2026, 7, 1, tzinfo=UTC)
ENVIRONMENTS = ("prod", "staging", "dev")
ROTATION = {"prod": 90, "staging": 30, "dev": 90}
SEVERITIES = ("critical", "high", "medium", "low", "info")
OWNERS = ("payments-team", "platform-team", "data-eng", "alice@example.org", "bob@example.org")
PROVIDERS = ("aws", "gcp", "azure", "house")

# id, title, severity, tier, needs, thresholds, evidence keys
RULES: tuple[tuple[str, str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "expired-active",
        "Key past its expiry date and not revoked",
        "critical",
        "immediate",
        ("inventory",),
        (),
    ),
    (
        "used-after-revocation",
        "Key used after it was revoked",
        "critical",
        "immediate",
        ("inventory", "logs"),
        (),
    ),
    (
        "inventoried-key-exposed",
        "Inventoried key found in a file or log",
        "critical",
        "immediate",
        ("inventory", "scan"),
        (),
    ),
    (
        "rotation-overdue",
        "Active key not rotated within its environment's period",
        "high",
        "daily",
        ("inventory",),
        ("environments.*.rotation_days",),
    ),
    (
        "shared-across-environments",
        "One key used in more than one environment",
        "high",
        "daily",
        ("inventory",),
        (),
    ),
    (
        "failed-auth-burst",
        "Burst of failed authentications",
        "high",
        "immediate",
        ("logs",),
        ("failed_auth.threshold", "failed_auth.window_seconds"),
    ),
    (
        "weak-key",
        "Key entropy below the minimum",
        "high",
        "daily",
        ("inventory",),
        ("min_entropy_bits",),
    ),
    ("broad-scope", "Wildcard, admin or missing scopes", "medium", "weekly", ("inventory",), ()),
    ("no-expiry", "Active key without an expiry date", "medium", "weekly", ("inventory",), ()),
    (
        "unused",
        "Active key not used within its rotation period",
        "medium",
        "weekly",
        ("inventory",),
        ("environments.*.rotation_days",),
    ),
    (
        "new-location",
        "Key used from a country outside its baseline",
        "medium",
        "daily",
        ("logs",),
        (),
    ),
    (
        "expiring-soon",
        "Key expires within the warning window",
        "low",
        "daily",
        ("inventory",),
        ("expiry_warning_days",),
    ),
    ("missing-metadata", "Key without owner, name or purpose", "low", "weekly", ("inventory",), ()),
    (
        "revoked-without-reason",
        "Revoked key with no documented reason",
        "info",
        "weekly",
        ("inventory",),
        (),
    ),
    (
        "secret-in-code",
        "Secret-shaped string in source files",
        "critical",
        "immediate",
        ("scan",),
        (),
    ),
    ("secret-in-logs", "Secret-shaped string in log files", "high", "immediate", ("scan",), ()),
)
NOT_EVALUATED = {"inventoried-key-exposed", "secret-in-code", "secret-in-logs"}

FRAMEWORKS: dict[str, tuple[str, str, list[tuple[str, str, list[str]]]]] = {
    "soc2": (
        "SOC 2 Trust Services Criteria",
        "2017 (rev. 2022)",
        [
            (
                "CC6.1",
                "Logical access security software and infrastructure",
                ["shared-across-environments", "secret-in-code", "missing-metadata"],
            ),
            (
                "CC6.2",
                "Registration and authorisation of credentials",
                ["unused", "missing-metadata", "revoked-without-reason"],
            ),
            ("CC6.3", "Least privilege and role-based access", ["broad-scope"]),
            (
                "CC6.6",
                "Protection against threats from outside the system boundary",
                ["inventoried-key-exposed"],
            ),
            (
                "CC7.2",
                "Monitoring of system components for anomalies",
                ["failed-auth-burst", "new-location", "used-after-revocation"],
            ),
            ("CC7.3", "Evaluation of security events", []),
            ("CC8.1", "Change management of credentials", ["rotation-overdue"]),
        ],
    ),
    "pci-dss": (
        "PCI DSS",
        "4.0.1",
        [
            (
                "3.7.4",
                "Cryptographic key changes at the end of the cryptoperiod",
                ["rotation-overdue", "no-expiry"],
            ),
            (
                "3.7.5",
                "Retired or compromised keys are not used",
                ["expired-active", "used-after-revocation"],
            ),
            (
                "7.2.5",
                "System and application account access limited to need",
                ["broad-scope", "shared-across-environments"],
            ),
            ("8.2.2", "Shared credentials used only by exception", ["shared-across-environments"]),
            ("8.3.4", "Invalid authentication attempts limited", ["failed-auth-burst"]),
            (
                "8.6.2",
                "No hard-coded passwords or keys in scripts or files",
                ["secret-in-code", "inventoried-key-exposed"],
            ),
            (
                "8.6.3",
                "Application and system passwords protected and changed periodically",
                ["rotation-overdue", "weak-key"],
            ),
            ("10.5.1", "Audit log history retained for at least 12 months", []),
        ],
    ),
    "gdpr": (
        "General Data Protection Regulation",
        "2016/679",
        [
            ("Art. 25", "Data protection by design and by default", ["broad-scope", "unused"]),
            (
                "Art. 32(1)(b)",
                "Ongoing confidentiality of processing systems",
                ["rotation-overdue", "weak-key", "expired-active"],
            ),
            ("Art. 32(1)(d)", "Regular testing and evaluation of security measures", []),
            ("Art. 33", "Notification of a personal data breach", ["secret-in-logs"]),
        ],
    ),
    "hipaa": (
        "HIPAA Security Rule",
        "45 CFR 164 Subpart C",
        [
            (
                "164.308(a)(3)(ii)(C)",
                "Termination procedures for access",
                ["expired-active", "used-after-revocation"],
            ),
            ("164.308(a)(4)(ii)(B)", "Access authorisation", ["broad-scope", "missing-metadata"]),
            ("164.308(a)(5)(ii)(C)", "Log-in monitoring", ["failed-auth-burst", "new-location"]),
            ("164.308(a)(5)(ii)(D)", "Password management", ["rotation-overdue", "weak-key"]),
            ("164.312(b)", "Audit controls", []),
            ("164.312(d)", "Person or entity authentication", ["expiring-soon", "no-expiry"]),
        ],
    ),
}


def _iso(value: datetime | None) -> str | None:
    """ISO 8601 UTC with a Z, as in the result document."""
    return None if value is None else value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _sha(text: str) -> str:
    """SHA-256 hex of a text."""
    return hashlib.sha256(text.encode()).hexdigest()


def _policy(organisation: str) -> dict[str, Any]:
    """An effective policy in the shape the policy loader produces."""
    return {
        "organisation": organisation,
        "environments": {env: {"rotation_days": days} for env, days in ROTATION.items()},
        "expiry_warning_days": 7,
        "min_entropy_bits": 256,
        "rotation_overlap_hours": 48,
        "failed_auth": {"threshold": 10, "window_seconds": 60},
        "log_retention_days": 365,
        "remediation_days": RemediationDays().model_dump(),
    }


def _keys(rng: random.Random, count: int, names: list[str]) -> list[dict[str, Any]]:
    """Inventory keys spread over environments, providers and owners."""
    keys = []
    for index in range(count):
        env = ENVIRONMENTS[index % 3]
        created = AS_OF - timedelta(days=rng.randint(5, 420))
        rotated = created + timedelta(days=rng.randint(0, max(0, (AS_OF - created).days - 1)))
        name = names[index] if index < len(names) else f"{env}-service-{index:05d}"
        keys.append(
            {
                "key_id": f"AKIA{index:012d}"[:16] if index % 4 == 0 else f"key-{env}-{index:05d}",
                "name": name,
                "owner": OWNERS[index % len(OWNERS)] if index % 17 else None,
                "environment": env,
                "provider": PROVIDERS[index % len(PROVIDERS)],
                "key_type": "access-key" if index % 2 else "api-token",
                "active": index % 11 != 0,
                "created_at": _iso(created),
                "expires_at": _iso(created + timedelta(days=365)) if index % 5 else None,
                "last_used_at": _iso(AS_OF - timedelta(days=rng.randint(0, 200))),
                "last_rotated_at": _iso(rotated),
                "revoked_at": None
                if index % 11
                else _iso(AS_OF - timedelta(days=rng.randint(1, 60))),
                "age_days": (AS_OF - rotated).days,
                "cardholder_data": index % 7 == 0,
                "rotation_limit_days": ROTATION[env],
                "fingerprint_prefix": _sha(f"fp{index}")[:12],
                "finding_count": 0,
            }
        )
    return keys


def _evidence(rule_id: str, key: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """Dates, counts and windows a rule would record."""
    if rule_id in ("rotation-overdue", "unused"):
        return {
            "last_rotated_at": key["last_rotated_at"],
            "age_days": key["age_days"],
            "limit_days": key["rotation_limit_days"],
        }
    if rule_id == "failed-auth-burst":
        start = LOG_START + timedelta(days=rng.randint(0, 88), seconds=rng.randint(0, 80000))
        return {
            "window_start": _iso(start),
            "window_end": _iso(start + timedelta(seconds=60)),
            "failures": rng.randint(11, 240),
            "threshold": 10,
            "source_ips": rng.randint(1, 4),
        }
    if rule_id in ("expired-active", "expiring-soon"):
        return {"expires_at": key["expires_at"], "days": rng.randint(1, 40)}
    if rule_id == "used-after-revocation":
        return {
            "revoked_at": key["revoked_at"],
            "events_after": rng.randint(1, 30),
            "last_event": _iso(AS_OF - timedelta(hours=rng.randint(1, 300))),
        }
    if rule_id == "new-location":
        return {
            "country": rng.choice(["BR", "VN", "RO", "NG"]),
            "baseline": ["DE", "IE"],
            "first_seen": _iso(AS_OF - timedelta(days=rng.randint(1, 80))),
        }
    return {"observed": rng.choice(["scopes: *", "owner missing", "entropy 128 bits", "no expiry"])}


def _message(rule_id: str, evidence: dict[str, Any]) -> str:
    """A short message like the rule catalogue writes."""
    if rule_id == "rotation-overdue":
        return f"not rotated for {evidence['age_days']} days (limit {evidence['limit_days']})"
    if rule_id == "unused":
        return f"not used for {evidence['age_days']} days (limit {evidence['limit_days']})"
    if rule_id == "failed-auth-burst":
        return f"{evidence['failures']} failed authentications within 60 s"
    if rule_id == "expired-active":
        return f"expired {evidence['days']} days ago and still active"
    if rule_id == "expiring-soon":
        return f"expires in {evidence['days']} days"
    if rule_id == "used-after-revocation":
        return f"{evidence['events_after']} events after revocation"
    if rule_id == "new-location":
        return f"first use from {evidence['country']}"
    return evidence.get("observed", "see evidence")


def _findings(
    rng: random.Random, keys: list[dict[str, Any]], total: int, waivers: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """``total`` findings spread over the evaluated rules, a few waived."""
    evaluated = [rule for rule in RULES if rule[0] not in NOT_EVALUATED]
    weights = [1, 1, 0, 6, 2, 3, 2, 4, 4, 5, 2, 3, 3, 1, 0, 0]
    weights = [w for rule, w in zip(RULES, weights, strict=True) if rule[0] not in NOT_EVALUATED]
    seen: set[tuple[str, str]] = set()
    findings: list[dict[str, Any]] = []
    while len(findings) < total:
        rule = rng.choices(evaluated, weights)[0]
        key = keys[rng.randrange(len(keys))]
        if (rule[0], key["key_id"]) in seen:
            continue
        seen.add((rule[0], key["key_id"]))
        waiver = None
        for item in waivers:
            if item["state"] == "revoked" or item["rule_id"] != rule[0]:
                continue
            if key["key_id"].startswith(item["key_pattern"][:-1]):
                waiver = {k: item[k] for k in ("id", "owner", "reason", "expires_at")}
                waiver["state"] = "waived" if item["state"] == "active" else "expired"
        key["finding_count"] += 1
        evidence = _evidence(rule[0], key, rng)
        findings.append(
            {
                "id": _sha(f"{rule[0]}|{key['key_id']}")[:16],
                "rule_id": rule[0],
                "severity": rule[2],
                "tier": rule[3],
                "subject": key["key_id"],
                "message": _message(rule[0], evidence),
                "provider": key["provider"],
                "environment": key["environment"],
                "key": {
                    k: key[k]
                    for k in (
                        "key_id",
                        "name",
                        "owner",
                        "environment",
                        "provider",
                        "fingerprint_prefix",
                    )
                },
                "evidence": evidence,
                "waiver": waiver,
            }
        )
    findings.sort(key=lambda f: (SEVERITIES.index(f["severity"]), f["rule_id"], f["subject"]))
    return findings


RESPONDED = ("in_progress", "fixed", "risk_accepted", "open")


def _responses(findings: list[dict[str, Any]]) -> None:
    """Give each finding its response: every fourth one recorded, half found 60 days ago.

    Derived from the position only (no random draws), so the rest of the document is as before.
    """
    stored, first = {}, {}
    for index, f in enumerate(findings):
        if index % 2:
            first[f["id"]] = AS_OF - timedelta(days=60)
        if index % 4 == 1:
            stored[f["id"]] = ResponseFacts(
                status=RESPONDED[(index // 4) % len(RESPONDED)],
                responded_at=AS_OF - timedelta(days=20),
                responded_by="ciso@example.org",
                owner=OWNERS[index % len(OWNERS)] if index % 8 == 1 else None,
                due=(AS_OF - timedelta(days=10)).date() if index % 3 == 0 else None,
                note=f"Management response {index}: rotation planned, see change ticket.",
            )
    book = ResponseBook(AS_OF, RemediationDays(), stored, first)
    for f in findings:
        waived = (f["waiver"] or {}).get("state") == "waived"
        owner = (f["key"] or {}).get("owner")
        f["response"] = book.record(f["id"], f["severity"], owner, waived).model_dump()


def _waivers() -> list[dict[str, Any]]:
    """One waiver in force, one expired, one revoked."""
    return [
        {
            "id": 1,
            "rule_id": "rotation-overdue",
            "key_pattern": "key-dev-*",
            "owner": "platform-team",
            "reason": "Dev keys rotate with the Q4 platform migration",
            "expires_at": "2026-12-31T00:00:00Z",
            "approved_at": "2026-07-16T08:00:00Z",
            "approved_by": "ciso@example.org",
            "created_after_as_of": False,
            "created_at": "2026-07-15T09:00:00Z",
            "created_by": "platform-lead",
            "revoked_at": None,
            "state": "active",
            "matched": 0,
        },
        {
            "id": 2,
            "rule_id": "broad-scope",
            "key_pattern": "key-staging-*",
            "owner": "data-eng",
            "reason": "Staging ETL needs wide read scopes until the split",
            "expires_at": "2026-09-01T00:00:00Z",
            "approved_at": None,
            "approved_by": None,
            "created_after_as_of": False,
            "created_at": "2026-06-01T09:00:00Z",
            "created_by": "data-lead",
            "revoked_at": None,
            "state": "expired",
            "matched": 0,
        },
        {
            "id": 3,
            "rule_id": "no-expiry",
            "key_pattern": "AKIA*",
            "owner": "bob@example.org",
            "reason": "Superseded by per-key expiry",
            "expires_at": "2027-01-01T00:00:00Z",
            "approved_at": "2026-05-01T09:30:00Z",
            "approved_by": "ciso@example.org",
            "created_after_as_of": False,
            "created_at": "2026-05-01T09:00:00Z",
            "created_by": "bob@example.org",
            "revoked_at": "2026-08-01T09:00:00Z",
            "state": "revoked",
            "matched": 0,
        },
    ]


def _coverage(
    status: str, rules: list[str], open_by_rule: dict[str, int], waived_by_rule: dict[str, int]
) -> dict[str, Any]:
    """A control's coverage fields: every rule tested the sample's keys (full when it holds)."""
    tested = []
    for rule in rules:
        exceptions = open_by_rule.get(rule, 0) + waived_by_rule.get(rule, 0)
        ran = rule not in NOT_EVALUATED
        tested.append(
            {
                "coverage": "full" if ran else "none",
                "exceptions": exceptions,
                "population": 30 if ran else 0,
                "rule_id": rule,
                "scope": ["every inventory key"] if ran else [],
                "summary": f"30 keys tested, {exceptions} exceptions" if ran else "not evaluated",
                "unit": "keys" if ran else "none",
            }
        )
    partial = "Some of its rules were not evaluated."
    return {
        "coverage": "none" if not rules else "partial" if status == "not_evaluated" else "full",
        "coverage_note": None if rules and status != "not_evaluated" else partial,
        "rationale": 'The requirement says "credentials are managed"; the rules check it.'
        if rules
        else None,
        "scope": "all-keys",
        "tested": tested,
    }


def _frameworks(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Framework controls with status computed as RESULT_CONTRACT.md says."""
    open_by_rule: dict[str, int] = {}
    waived_by_rule: dict[str, int] = {}
    for finding in findings:
        state = (finding["waiver"] or {}).get("state")
        target = waived_by_rule if state == "waived" else open_by_rule
        target[finding["rule_id"]] = target.get(finding["rule_id"], 0) + 1
    result = []
    for fid, (name, version, controls) in FRAMEWORKS.items():
        rows = []
        for cid, title, rules in controls:
            failing = sum(open_by_rule.get(r, 0) for r in rules)
            if not rules:
                status = "manual"
            elif failing:
                status = "fails"
            elif any(r in NOT_EVALUATED for r in rules):
                status = "not_evaluated"
            else:
                status = "holds"
            guardrails = []
            if "rotation-overdue" in rules and fid == "pci-dss":
                guardrails.append(
                    {
                        "policy_key": "environments.dev.rotation_days",
                        "policy_value": 90,
                        "framework_value": 90,
                        "note": "Dev follows the prod period; PCI sets no "
                        "number for system credentials, so 90 days is the organisation's choice.",
                    }
                )
            rows.append(
                {
                    "id": cid,
                    "title": title,
                    "statement": f"{title}.",
                    "citation": f"{name} {cid}",
                    "rules": rules,
                    "status": status,
                    "findings": failing,
                    "waived": sum(waived_by_rule.get(r, 0) for r in rules),
                    "thresholds": {"rotation_days": 90} if "rotation-overdue" in rules else {},
                    "guardrails": guardrails,
                    "organisation_choice": "Rotation periods are set by policy." if rules else None,
                    **_coverage(status, rules, open_by_rule, waived_by_rule),
                }
            )
        result.append(
            {
                "id": fid,
                "name": name,
                "version": version,
                "source": f"keyvigil/frameworks/{fid}.yaml",
                "controls": rows,
            }
        )
    return result


def _logs(rng: random.Random) -> dict[str, Any]:
    """Log coverage with a daily failed-authentication series and an attack spike."""
    days = (AS_OF - LOG_START).days
    failed, events = [], []
    for offset in range(days):
        day = (LOG_START + timedelta(days=offset)).date().isoformat()
        spike = 180 if offset in (41, 42) else 0
        failed.append({"day": day, "count": rng.randint(0, 14) + spike})
        events.append({"day": day, "count": rng.randint(1800, 2600)})
    return {
        "start": _iso(LOG_START),
        "end": _iso(AS_OF),
        "events": sum(e["count"] for e in events),
        "sources": [
            {
                "path": "logs/cloudtrail-2026Q3.jsonl.gz",
                "format": "cloudtrail",
                "events": 214032,
                "skipped": 3,
            },
            {"path": "logs/vault-audit.log", "format": "vault", "events": 1840, "skipped": 0},
        ],  # fmt: skip
        "skipped": 3,
        "failed_auth_daily": failed,
        "events_daily": events,
    }


def _summary(doc: dict[str, Any]) -> dict[str, Any]:
    """The document's summary block."""
    by_severity = dict.fromkeys(SEVERITIES, 0)
    by_env: dict[str, dict[str, int]] = {}
    for finding in doc["findings"]:
        by_severity[finding["severity"]] += 1
        env = (finding["key"] or {}).get("environment") or "unknown"
        bucket = by_env.setdefault(env, dict.fromkeys(SEVERITIES, 0))
        bucket[finding["severity"]] += 1
    controls = {}
    for framework in doc["frameworks"]:
        counts = dict.fromkeys(("holds", "fails", "manual", "not_evaluated"), 0)
        for control in framework["controls"]:
            counts[control["status"]] += 1
        controls[framework["id"]] = counts
    waived = sum(1 for f in doc["findings"] if (f["waiver"] or {}).get("state") == "waived")
    return {
        "findings": len(doc["findings"]),
        "open": len(doc["findings"]) - waived,
        "by_severity": by_severity,
        "waived": waived,
        "expired_waivers": sum(
            1 for f in doc["findings"] if (f["waiver"] or {}).get("state") == "expired"
        ),
        "by_environment": by_env,
        "controls": controls,
        "not_evaluated_rules": sorted(NOT_EVALUATED),
        "overdue": sum(1 for f in doc["findings"] if f["response"]["overdue"]),
        "responses": {
            s: sum(1 for f in doc["findings"] if f["response"]["status"] == s)
            for s in sorted(STATUSES)
        },
    }


def build_document(
    findings: int = 40,
    keys: int = 30,
    seed: int = 7,
    organisation: str = "Example Org",
    names: list[str] | None = None,
) -> ResultDocument:
    """A complete result document with ``findings`` findings over ``keys`` keys (validated)."""
    rng = random.Random(seed)
    key_rows = _keys(rng, keys, names or [])
    waivers = _waivers()
    finding_rows = _findings(rng, key_rows, findings, waivers)
    _responses(finding_rows)
    for waiver in waivers:
        waiver["matched"] = sum(
            1 for f in finding_rows if (f["waiver"] or {}).get("id") == waiver["id"]
        )
    policy = _policy(organisation)
    policy_digest = _sha(json.dumps(policy, sort_keys=True))
    counts = {r[0]: 0 for r in RULES}
    for finding in finding_rows:
        counts[finding["rule_id"]] += 1
    doc: dict[str, Any] = {
        "schema": "keyvigil.audit-result/1",
        "as_of": _iso(AS_OF),
        "period": {"start": _iso(LOG_START), "end": _iso(AS_OF)},
        "organisation": organisation,
        "tool_version": "0.1.0",
        "ruleset_version": _sha("ruleset")[:16],
        "frameworks_selected": list(FRAMEWORKS),
        "inputs": [
            {
                "name": "keys.csv",
                "path": "inputs/keys.csv",
                "sha256": _sha("keys.csv"),
                "kind": "inventory",
                "reader": "house-csv",
                "records": keys,
            },
            {
                "name": "credential-report.csv",
                "path": "inputs/credential-report.csv",
                "sha256": _sha("cred"),
                "kind": "inventory",
                "reader": "aws-credential-report",
                "records": 12,
            },
            {
                "name": "cloudtrail-2026Q3.jsonl.gz",
                "path": "logs/cloudtrail-2026Q3.jsonl.gz",
                "sha256": _sha("ct"),
                "kind": "logs",
                "reader": "cloudtrail",
                "records": 214032,
            },
        ],
        "policy": policy,
        "policy_digest": policy_digest,
        "rules": [
            {
                "id": r[0],
                "title": r[1],
                "severity": r[2],
                "tier": r[3],
                "remediation": f"Fix {r[0]}: revoke or rotate the key, then record why.",
                "description": f"Checks every active key for: {r[1].lower()}.",
                "needs": list(r[4]),
                "thresholds": {t.replace("*", "prod"): 90 for t in r[5]},
                "status": "not_evaluated" if r[0] in NOT_EVALUATED else "evaluated",
                "reason": "no scan results given" if r[0] in NOT_EVALUATED else None,
                "findings": counts[r[0]],
            }
            for r in RULES
        ],
        "findings": finding_rows,
        "frameworks": _frameworks(finding_rows),
        "keys": key_rows,
        "usage": [
            {
                "key_id": k["key_id"],
                "provider": k["provider"],
                "first_event": _iso(LOG_START),
                "last_event": k["last_used_at"],
                "events": rng.randint(0, 5000),
                "successes": 0,
                "failures": rng.randint(0, 40),
                "denied": 0,
                "source_ips": rng.randint(1, 6),
                "countries": ["DE", "IE"],
                "attributed_via": "key_id",
            }
            for k in key_rows[: min(len(key_rows), 200)]
        ],
        "logs": _logs(rng),
        "waivers": waivers,
    }
    doc["summary"] = _summary(doc)
    return ResultDocument.model_validate(doc)


def dumps(doc: ResultDocument) -> str:
    """The canonical text of a result document."""
    return doc.canonical().decode("utf-8")


def sha256_text(text: str) -> str:
    """SHA-256 hex of the document text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


SAMPLE_NAMES = [
    "payments-api-prod",
    "<script>alert(1)</script>",
    "{{7*7}}",
    "billing-webhook",
    "ci-deployer",
    "analytics-reader",
    "support-portal",
    "search-indexer",
    "backup-agent",
    "mobile-gateway",
]


def sample_document() -> ResultDocument:
    """The small realistic sample used by the report tests (40 findings, 30 keys)."""
    return build_document(findings=40, keys=30, names=SAMPLE_NAMES)


def large_document(findings: int = 20_000) -> ResultDocument:
    """A large run for the benchmark and the capping test."""
    return build_document(findings=findings, keys=max(30, findings // 5), seed=11)


if __name__ == "__main__":
    from pathlib import Path

    target = Path(__file__).resolve().parents[1] / "data" / "reports" / "sample_result.json"
    target.write_text(dumps(sample_document()), encoding="utf-8")
