"""Build the audit report's template context from a result document and its run."""

from __future__ import annotations

from collections.abc import Sequence

from toolkit.audit.facts import HistoryPoint
from toolkit.audit.result import KeyRecord, ResultDocument
from toolkit.errors import ReportError
from toolkit.reports import charts, priorities, responses, summary, trend, words
from toolkit.reports.context import (
    AUDIENCES,
    PAPERS,
    Change,
    ReportContext,
    ReportOptions,
    RunFacts,
    SignOff,
)

ATTACHMENTS = ("result.json", "findings.csv")


def check_document(doc: object) -> ResultDocument:
    """The document itself, or ReportError when it is not a typed result document."""
    if not isinstance(doc, ResultDocument):
        raise ReportError(f"result document: expected a ResultDocument, got {type(doc).__name__}")
    return doc


def check_options(options: ReportOptions) -> ReportOptions:
    """The options, or ReportError naming the bad one."""
    if options.audience not in AUDIENCES:
        raise ReportError(f"--audience: expected one of {', '.join(AUDIENCES)}")
    if options.paper not in PAPERS:
        raise ReportError(f"--paper: expected one of {', '.join(PAPERS)}")
    return options


def appendix_keys(doc: ResultDocument, most: int) -> list[KeyRecord]:
    """Every key when there are at most ``most``; else the first ``most`` keys with findings
    (a 100,000-key appendix ran to 560 pages and most of the report's rendering time)."""
    if len(doc.keys) <= most:
        return list(doc.keys)
    return [key for key in doc.keys if key.finding_count][:most]


def history_points(
    history: Sequence[HistoryPoint], doc: ResultDocument, run_id: str = ""
) -> list[trend.TrendPoint]:
    """Failing controls per framework for earlier runs plus this one, oldest first."""
    return [
        trend.TrendPoint(
            as_of=item.as_of[:10],
            run_id=item.run_id,
            fails={fw: int(c.get("fails", 0)) for fw, c in item.controls.items()},
        )
        for item in [*history, HistoryPoint(doc.as_of, doc.summary.controls, run_id)]
    ]


def build_context(
    doc: ResultDocument,
    run: RunFacts,
    options: ReportOptions | None = None,
    *,
    change: Change | None = None,
    history: Sequence[HistoryPoint] = (),
    logo: str | None = None,
) -> ReportContext:
    """Everything the templates need; ``change`` compares with the last run of the same scope."""
    doc = check_document(doc)
    options = check_options(options or ReportOptions())
    capped = len(doc.findings) >= options.large_run
    listed = appendix_keys(doc, options.key_appendix)
    return ReportContext(
        doc=doc,
        run=run,
        options=options,
        title=f"API key and credential audit - {doc.organisation or 'unnamed organisation'}",
        posture=summary.posture(doc),
        severity_counts=summary.severity_counts(doc),
        open_findings=sum(1 for f in doc.findings if not f.waived),
        open_keys=len(
            {(f.key.provider, f.key.key_id) for f in doc.findings if f.key and not f.waived}
        ),
        waiver_lines=words.waiver_lines(doc.findings, doc.waivers),
        lead=priorities.lead_findings(doc),
        lead_unjudged=priorities.lead_not_evaluated(doc),
        actions=priorities.urgent_actions(doc),
        overdue=priorities.overdue_findings(doc),
        worst=priorities.worst_findings(doc),
        change=change,
        charts=charts.all_charts(doc, history_points(history, doc, run.run_id)),
        rule_sections=summary.rule_sections(doc, capped, options.worst_per_rule),
        capped=capped,
        appendix_keys=listed,
        keys_left_out=len(doc.keys) - len(listed),
        waivers_in_force=[w for w in doc.waivers if w.state == "active"],
        waivers_ended=[w for w in doc.waivers if w.state != "active"],
        policy_rows=responses.labelled_policy(summary.flatten_policy(doc.policy)),
        attachments=list(ATTACHMENTS),
        logo=logo,
        responses=responses.response_section(doc, capped),
        signoff=SignOff(options.prepared_by or run.actor, options.reviewed_by),
    )
