"""SARIF 2.1.0 output: findings that point at files, for code-scanning tools.

Scan findings point at the file and line of the secret; log findings at the log lines (or
CloudTrail records) of their first events; inventory findings at the key's inventory row.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import PurePath
from typing import Any

from toolkit import __version__
from toolkit.audit.canonical import canonical_bytes
from toolkit.audit.result import FindingRecord, RuleRecord, SourceLocation
from toolkit.reports.exporters.interface import Document, Exporter, RunMeta

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
"""keyvigil severity -> SARIF result level."""
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}
"""keyvigil severity -> the ``security-severity`` property code-scanning UIs sort by."""
PATH_FIELDS = ("path", "file")
LINE_FIELDS = ("line", "start_line")


def file_location(finding: FindingRecord) -> tuple[str, int | None] | None:
    """(path, line) when the finding points at a file, else None."""
    evidence = finding.evidence
    path = next((evidence[f] for f in PATH_FIELDS if evidence.get(f)), None)
    if not isinstance(path, str):
        return None
    found = next((evidence[f] for f in LINE_FIELDS if isinstance(evidence.get(f), int)), None)
    line = found if isinstance(found, int) and found > 0 else None
    return posix(path), line


@lru_cache(maxsize=4096)
def posix(path: str) -> str:
    """A path in POSIX form (findings share a few files: each is converted once)."""
    return PurePath(path).as_posix()


def physical(path: str, line: int | None, record: int | None = None) -> dict[str, Any]:
    """A SARIF physicalLocation: the file, its line as region, a JSON record as a property."""
    out: dict[str, Any] = {"artifactLocation": {"uri": posix(path)}}
    if line:
        out["region"] = {"startLine": line}
    if record is not None:
        out["properties"] = {"record": record}
    return out


def source_physical(source: SourceLocation) -> dict[str, Any]:
    """A SARIF physicalLocation for a traced event or an inventory row."""
    return physical(source.path, source.line, source.record)


def locations(finding: FindingRecord) -> list[dict[str, Any]]:
    """Where a finding points: its scanned file, its first log events, or its inventory row."""
    place = file_location(finding)
    if place is not None:
        return [physical(*place)]
    if finding.trace is not None and finding.trace.locations:
        return [source_physical(loc) for loc in finding.trace.locations]
    if finding.key is not None and finding.key.source is not None:
        return [source_physical(finding.key.source)]
    return []


def file_rules(doc: Document, located: set[str]) -> list[RuleRecord]:
    """Rules described: those that need scan results, and those with a finding that points
    at a file (a log line or an inventory row): the rule ids ``located``."""
    return [r for r in doc.rules if "scan" in r.needs or r.id in located]


def descriptor(rule: RuleRecord) -> dict[str, Any]:
    """A SARIF reportingDescriptor for one rule."""
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.title or rule.id},
        "fullDescription": {"text": rule.description or rule.title or rule.id},
        "help": {"text": rule.remediation or ""},
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "warning")},
        "properties": {
            "security-severity": SECURITY_SEVERITY.get(rule.severity, "0.0"),
            "tags": ["security", "secrets"],
        },
    }


def result(
    finding: FindingRecord, found: list[dict[str, Any]], index: dict[str, int]
) -> dict[str, Any] | None:
    """A SARIF result for a finding that points at a file, at ``found`` (None otherwise)."""
    if not found or finding.rule_id not in index:
        return None
    out: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": index[finding.rule_id],
        "level": LEVELS.get(finding.severity, "warning"),
        "message": {"text": finding.message or finding.rule_id},
        "locations": [{"physicalLocation": found[0]}],
        "partialFingerprints": {"keyvigilFindingId/v1": finding.id},
    }
    if len(found) > 1:  # a log finding's further events
        out["relatedLocations"] = [
            {"id": n, "physicalLocation": place} for n, place in enumerate(found[1:], start=1)
        ]
    if finding.waiver is not None and finding.waived:
        out["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": finding.waiver.reason}
        ]
    return out


def build(doc: Document) -> dict[str, Any]:
    """The SARIF log: one run, every scan rule described, one result per file finding."""
    placed = [(f, locations(f)) for f in doc.findings]
    rules = file_rules(doc, {f.rule_id for f, found in placed if found})
    index = {rule.id: i for i, rule in enumerate(rules)}
    results = [r for f, found in placed if (r := result(f, found, index)) is not None]
    driver = {
        "name": "keyvigil",
        "version": doc.tool_version or __version__,
        "informationUri": "https://pypi.org/project/keyvigil/",
        "rules": [descriptor(rule) for rule in rules],
    }
    run = {
        "tool": {"driver": driver},
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {"as_of": doc.as_of, "ruleset_version": doc.ruleset_version},
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def export(doc: Document, run: RunMeta) -> bytes:
    """SARIF JSON (a valid run with no results when nothing points at a file)."""
    return canonical_bytes(build(doc))


EXPORTER = Exporter(
    name="sarif",
    suffix=".sarif",
    media_type="application/sarif+json",
    export=export,
    description="SARIF 2.1.0 for findings that point at files (scan results)",
)
