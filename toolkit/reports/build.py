"""Build the audit report's template context from a result document and its run."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from toolkit.errors import ReportError
from toolkit.reports import charts, summary
from toolkit.reports.context import (
    AUDIENCES,
    PAPERS,
    Change,
    ReportContext,
    ReportOptions,
    RunFacts,
)

SCHEMA = "keyvigil.audit-result/1"
ATTACHMENTS = ("result.json", "findings.csv")


def check_document(doc: Any) -> dict[str, Any]:
    """The document itself, or ReportError naming what is missing."""
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise ReportError(f"result document: schema: expected {SCHEMA!r}")
    for name in ("as_of", "findings", "rules", "frameworks", "keys", "inputs"):
        if name not in doc:
            raise ReportError(f"result document: {name}: missing")
    return doc


def check_options(options: ReportOptions) -> ReportOptions:
    """The options, or ReportError naming the bad one."""
    if options.audience not in AUDIENCES:
        raise ReportError(f"--audience: expected one of {', '.join(AUDIENCES)}")
    if options.paper not in PAPERS:
        raise ReportError(f"--paper: expected one of {', '.join(PAPERS)}")
    return options


def history_points(
    history: Sequence[dict[str, Any]], doc: dict[str, Any]
) -> list[tuple[str, dict[str, int]]]:
    """(label, failing controls per framework) for earlier runs plus this one, oldest first.

    ``history`` holds earlier runs' summaries as ``{"as_of": ..., "controls": {fw: counts}}``.
    """
    points = []
    for item in [
        *history,
        {"as_of": doc["as_of"], "controls": doc.get("summary", {}).get("controls", {})},
    ]:
        counts = {fw: int(c.get("fails", 0)) for fw, c in (item.get("controls") or {}).items()}
        points.append(((item.get("as_of") or "")[:10], counts))
    return points


def build_context(
    doc: dict[str, Any],
    run: RunFacts,
    options: ReportOptions | None = None,
    *,
    change: Change | None = None,
    history: Sequence[dict[str, Any]] = (),
    logo: str | None = None,
) -> ReportContext:
    """Everything the templates need; ``change`` compares with the last run of the same scope."""
    doc = check_document(doc)
    options = check_options(options or ReportOptions())
    capped = len(doc["findings"]) >= options.large_run
    waivers = doc.get("waivers") or []
    return ReportContext(
        doc=doc,
        run=run,
        options=options,
        title=f"API key and credential audit - {doc.get('organisation') or 'unnamed organisation'}",
        posture=summary.posture(doc),
        severity_counts=summary.severity_counts(doc),
        open_findings=sum(1 for f in doc["findings"] if not summary.is_waived(f)),
        actions=summary.urgent_actions(doc),
        change=change,
        charts=charts.all_charts(doc, history_points(history, doc)),
        rule_sections=summary.rule_sections(doc, capped, options.worst_per_rule),
        capped=capped,
        waivers_in_force=[w for w in waivers if w.get("state") == "active"],
        waivers_ended=[w for w in waivers if w.get("state") != "active"],
        policy_rows=summary.flatten_policy(doc.get("policy") or {}),
        attachments=list(ATTACHMENTS),
        logo=logo,
    )
