"""OSCAL 1.2.1 assessment-results output: one result per framework, a finding per control."""

from __future__ import annotations

import hashlib
import re
import uuid
from typing import Any
from urllib.parse import quote

import orjson

from toolkit.audit.canonical import canonical_bytes
from toolkit.audit.result import ControlRecord, FindingRecord, FrameworkRecord, ResponseRecord
from toolkit.reports.evidence import where_sentences
from toolkit.reports.exporters.interface import Document, Exporter, RunMeta

OSCAL_VERSION = "1.2.1"
NS = "urn:keyvigil:oscal"
"""Namespace of keyvigil's own OSCAL properties."""
UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, NS)
STATES = {"holds": ("satisfied", "pass"), "fails": ("not-satisfied", "fail")}
"""Control status -> OSCAL state and reason; manual and not_evaluated: not-satisfied, other."""


class Findings:
    """The document's findings as observations list them: by rule, each line made once.

    A finding is listed under every control its rule evidences (in every framework), so its
    line (where its evidence is, its response) is made the first time and reused after.
    """

    def __init__(self, doc: Document) -> None:
        """Group the findings by rule; lines and the cardholder-data keys come when asked."""
        self.doc = doc
        self.by_rule: dict[str, list[FindingRecord]] = {}
        for item in doc.findings:
            self.by_rule.setdefault(item.rule_id, []).append(item)
        self.lines: dict[int, str] = {}
        """Lines by the finding's identity (the document holds each finding while it lives)."""
        self.marked: set[tuple[str, str]] | None = None

    def in_scope(self, control: ControlRecord) -> list[FindingRecord]:
        """The findings of the control's rules within its scope (cardholder-data keys only)."""
        found = [f for rule in control.rules for f in self.by_rule.get(rule, [])]
        if control.scope != "cardholder-data":
            return found
        if self.marked is None:  # only then the keys are read (100,000 keys)
            self.marked = {(k.provider, k.key_id) for k in self.doc.keys if k.cardholder_data}
        marked = self.marked
        return [f for f in found if f.key is not None and (f.key.provider, f.key.key_id) in marked]

    def line(self, finding: FindingRecord) -> str:
        """The finding as one line of an observation: rule, subject, message, where, response."""
        text = self.lines.get(id(finding))
        if text is None:
            state = " (waived)" if finding.waived else ""
            where = " ".join(where_sentences(finding))
            tail = f" {where}" if where else ""
            text = self.lines[id(finding)] = (
                f"- {finding.rule_id} {finding.subject}{state}: {finding.message}.{tail} "
                f"[{response_text(finding.response)}]"
            )
        return text


class Ids:
    """Deterministic UUIDs (v5): the same document always gets the same identifiers."""

    def __init__(self, doc: Document) -> None:
        """Seed the identifiers with a digest of what identifies the document.

        As-of, versions, inputs (by SHA-256), the policy digest, frameworks, waivers and every
        finding with its waiver state: these decide the rest of the document, and hashing them
        costs milliseconds where hashing all of a 100,000-key document costs a second.
        """
        identity = {
            "as_of": doc.as_of,
            "versions": [doc.tool_version, doc.ruleset_version, doc.policy_digest],
            "inputs": [[i.kind, i.path, i.sha256] for i in doc.inputs],
            "frameworks": doc.frameworks_selected,
            "waivers": [[w.id, w.state, w.matched] for w in doc.waivers],
            "findings": [[f.id, f.waiver.state if f.waiver else None] for f in doc.findings],
        }
        self.seed = hashlib.sha256(orjson.dumps(identity)).hexdigest()

    def __call__(self, *parts: str) -> str:
        """The UUID for one element, named by its parts."""
        return str(uuid.uuid5(UUID_NAMESPACE, "|".join((self.seed, *parts))))


def token(framework_id: str, control_id: str) -> str:
    """An OSCAL token for a control id (tokens must start with a letter and hold no spaces)."""
    body = re.sub(r"[^a-z0-9.]+", "-", control_id.lower()).strip("-")
    return f"{framework_id}_{body}"


def prop(name: str, value: Any) -> dict[str, str]:
    """A keyvigil-namespaced property."""
    return {"name": name, "ns": NS, "value": str(value)}


def resources(doc: Document, ids: Ids) -> list[dict[str, Any]]:
    """Back-matter: each input file with its SHA-256, and the effective policy with its digest."""
    out = []
    for item in doc.inputs:
        out.append(
            {
                "uuid": ids("input", item.kind, item.path, item.sha256),
                "title": item.name or item.path or "input",
                "props": [
                    prop("input-kind", item.kind or "unknown"),
                    prop("reader", item.reader or "unknown"),
                    prop("records", item.records),
                ],
                "rlinks": [
                    {
                        "href": quote(str(item.path or item.name or "input")),
                        "hashes": [{"algorithm": "SHA-256", "value": item.sha256}],
                    }
                ],
            }
        )
    out.append(
        {
            "uuid": ids("policy"),
            "title": "Effective audit policy",
            "description": "The thresholds every rule was evaluated against (the assessment plan).",
            "props": [prop("policy-digest", doc.policy_digest)],
        }
    )
    return out


def observation(
    framework_id: str, control: ControlRecord, doc: Document, ids: Ids, findings: Findings
) -> dict[str, Any]:
    """What was tested for one control with rules: each rule's population, exceptions and
    coverage (as the result document states them), and the findings in the control's scope."""
    hits = findings.in_scope(control)
    lines = [f"Rules evaluated: {', '.join(control.rules)}."]
    lines += [f"- {t.rule_id}: {t.summary} (coverage {t.coverage})" for t in control.tested]
    lines.append(
        f"Coverage: {control.coverage}."
        + (f" {control.coverage_note}" if control.coverage_note else "")
    )
    lines += [findings.line(finding) for finding in hits]
    if not hits:
        lines.append("No findings.")
    return {
        "uuid": ids("observation", framework_id, control.id),
        "title": f"{control.id}: automated test",
        "description": "\n".join(lines),
        "methods": ["TEST"],
        "types": ["control-objective"],
        "props": [prop("finding-count", len(hits)), prop("coverage", control.coverage)],
        "collected": doc.as_of,
    }


def response_text(response: ResponseRecord) -> str:
    """Management's response in one bracketed phrase: status, owner, due date, overdue."""
    words = [
        f"response: {response.status.replace('_', ' ')}",
        f"owner {response.owner or 'none'}",
        f"due {response.due}" + (" (OVERDUE)" if response.overdue else ""),
    ]
    return ", ".join(words)


def finding(
    framework_id: str, control: ControlRecord, obs: dict[str, Any] | None, ids: Ids
) -> dict[str, Any]:
    """The determination for one control: satisfied only when it holds."""
    state, reason = STATES.get(control.status, ("not-satisfied", "other"))
    status = {"state": state, "reason": reason}
    if reason == "other":
        status["remarks"] = f"keyvigil status: {control.status} (assess this control separately)"
        if control.coverage_note:
            status["remarks"] += f". {control.coverage_note}"
    out: dict[str, Any] = {
        "uuid": ids("finding", framework_id, control.id),
        "title": f"{control.id} {control.title}",
        "description": control.statement,
        "props": [
            prop("control-status", control.status),
            prop("citation", control.citation),
            prop("coverage", control.coverage),
        ],
        "target": {
            "type": "objective-id",
            "target-id": token(framework_id, control.id),
            "status": status,
        },
    }
    if obs is not None:
        out["related-observations"] = [{"observation-uuid": obs["uuid"]}]
    return out


def result(framework: FrameworkRecord, doc: Document, ids: Ids, listed: Findings) -> dict[str, Any]:
    """One OSCAL result per framework: reviewed controls, observations, findings."""
    observations, findings = [], []
    for control in framework.controls:
        obs = observation(framework.id, control, doc, ids, listed) if control.rules else None
        if obs is not None:
            observations.append(obs)
        findings.append(finding(framework.id, control, obs, ids))
    selected = [{"control-id": token(framework.id, c.id)} for c in framework.controls]
    out = {
        "uuid": ids("result", framework.id),
        "title": f"{framework.name} {framework.version}",
        "description": f"keyvigil audit of API keys and access logs against {framework.name}.",
        "start": doc.period.start or doc.as_of,
        "end": doc.period.end or doc.as_of,
        "props": [prop("framework", framework.id)],
        "reviewed-controls": {"control-selections": [{"include-controls": selected}]},
        "findings": findings,
    }
    if observations:
        out["observations"] = observations
    return out


def build(doc: Document) -> dict[str, Any]:
    """The OSCAL assessment-results document for one audit result document."""
    ids, listed = Ids(doc), Findings(doc)
    backmatter = resources(doc, ids)
    metadata = {
        "title": f"keyvigil audit of {doc.organisation or 'the organisation'}",
        "last-modified": doc.as_of,
        "version": doc.tool_version or "0",
        "oscal-version": OSCAL_VERSION,
        "props": [
            prop("as-of", doc.as_of),
            prop("ruleset-version", doc.ruleset_version or "unknown"),
        ],
    }
    return {
        "assessment-results": {
            "uuid": ids("assessment-results"),
            "metadata": metadata,
            "import-ap": {"href": f"#{backmatter[-1]['uuid']}"},
            "results": [result(f, doc, ids, listed) for f in doc.frameworks],
            "back-matter": {"resources": backmatter},
        }
    }


def export(doc: Document, run: RunMeta) -> bytes:
    """OSCAL assessment-results JSON, deterministic for the same document."""
    return canonical_bytes(build(doc))


EXPORTER = Exporter(
    name="oscal",
    suffix=".oscal.json",
    media_type="application/json",
    export=export,
    description="OSCAL 1.2.1 assessment-results: a finding per control, inputs with SHA-256",
)
