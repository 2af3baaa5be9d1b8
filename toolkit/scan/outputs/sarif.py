"""SARIF 2.1.0 of a scan, as GitHub code scanning takes it: rules, locations, fingerprints.

A result's ``partialFingerprints`` hash the rule, the file and the secret's fingerprint (never
the value, never the bare SHA-256 of the value), so a finding keeps its identity when lines move.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from toolkit import __version__
from toolkit.rules import catalogue
from toolkit.scan.engine import engine_version
from toolkit.scan.interface import Allowed, ScanFinding, ScanReport
from toolkit.scan.judge import SCAN_RULES
from toolkit.scan.outputs.interface import Output

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
"""keyvigil severity -> SARIF result level (as in the audit's SARIF export)."""
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}
"""keyvigil severity -> the ``security-severity`` property code-scanning UIs sort by."""


def rule_descriptors() -> list[dict[str, Any]]:
    """The five scan rules as SARIF reportingDescriptors, from the catalogue's metadata."""
    described = []
    for rule_id in SCAN_RULES:
        rule = catalogue.RULES[rule_id].RULE
        severity = str(rule.severity)
        described.append(
            {
                "id": rule.id,
                "name": rule.id,
                "shortDescription": {"text": rule.title},
                "fullDescription": {"text": rule.description},
                "help": {"text": rule.remediation},
                "defaultConfiguration": {"level": LEVELS[severity]},
                "properties": {
                    "security-severity": SECURITY_SEVERITY[severity],
                    "tags": ["security", "secrets"],
                },
            }
        )
    return described


def identity(finding: ScanFinding) -> str:
    """A stable id: rule, file and secret fingerprint (or the file alone), hashed again."""
    secret = finding.secret.fingerprint if finding.secret else ""
    return hashlib.sha256(f"{finding.rule}\0{finding.file}\0{secret}".encode()).hexdigest()[:32]


def _properties(finding: ScanFinding) -> dict[str, Any]:
    """Masked facts about the secret, the key and the commit, for the result's property bag."""
    props: dict[str, Any] = {"severity": finding.severity}
    if finding.secret:
        props |= {
            "fingerprintPrefix": finding.secret.prefix,
            "length": finding.secret.length,
            "preview": finding.secret.preview,
            "detector": finding.detector,
        }
    if finding.key:
        props |= {"keyId": finding.key.key_id, "owner": finding.key.owner}
    if finding.commit:
        props |= {"commit": finding.commit, "atHead": finding.at_head}
    return props


def result(finding: ScanFinding, allowed: Allowed | None = None) -> dict[str, Any]:
    """One SARIF result; an allowlisted finding carries an accepted suppression."""
    physical: dict[str, Any] = {"artifactLocation": {"uri": finding.file}}
    if finding.line:
        physical["region"] = {"startLine": finding.line, "startColumn": finding.column or 1}
    out: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": SCAN_RULES.index(finding.rule),
        "level": LEVELS.get(finding.severity, "warning"),
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {"keyvigilScanFinding/v1": identity(finding)},
        "properties": _properties(finding),
    }
    if allowed is not None:
        justification = f"{allowed.reason} (owner {allowed.owner}; {allowed.entry})"
        out["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": justification}
        ]
    return out


def build(report: ScanReport) -> dict[str, Any]:
    """The SARIF log: one run, the five scan rules, one result per finding."""
    results = [result(f) for f in report.findings]
    results += [result(a.finding, a) for a in report.allowed]
    driver = {
        "name": "keyvigil",
        "version": __version__,
        "informationUri": "https://pypi.org/project/keyvigil/",
        "rules": rule_descriptors(),
    }
    run = {
        "tool": {"driver": driver},
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {"engine": f"betterleaks {engine_version()}", "roots": list(report.roots)},
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: ScanReport) -> bytes:
    """SARIF JSON."""
    return (json.dumps(build(report), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


OUTPUT = Output(
    name="sarif",
    suffix=".sarif",
    render=render,
    description="SARIF 2.1.0 for code scanning (GitHub and others)",
)
