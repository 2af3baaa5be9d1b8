"""What the audit report templates receive: documented dataclasses, one field per template name."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from toolkit.audit.result import (
    FindingRecord,
    KeyRecord,
    ResultDocument,
    RuleRecord,
    WaiverRecord,
)

AUDIENCES = ("full", "executive")
PAPERS = ("a4", "letter")
SEVERITIES = ("critical", "high", "medium", "low", "info")
LARGE_RUN = 10_000
WORST_PER_RULE = 50
KEY_APPENDIX = 5_000
"""Keys the appendix lists at most (about 30 pages): past it, only keys with findings."""


def _help(text: str, **kwargs: Any) -> Any:
    """A dataclass field carrying its documentation (read back by ``documented_fields``)."""
    return field(metadata={"help": text}, **kwargs)


@dataclass(frozen=True)
class RunFacts:
    """Facts about one stored audit run that the result document deliberately leaves out."""

    run_id: str = _help("the run's id, e.g. run-20261001-1a2b3c4d")
    created_at: str | None = _help("when the run was made (ISO 8601 UTC)", default=None)
    actor: str | None = _help("who made the run", default=None)
    result_sha256: str | None = _help("SHA-256 of the result document's bytes", default=None)


@dataclass(frozen=True)
class ReportOptions:
    """How to render: audience, paper and where user templates live."""

    audience: str = _help(
        "'full' (every section) or 'executive' (2-4 pages: posture, worst findings, change, trend)",
        default="full",
    )
    paper: str = _help("'a4' or 'letter'", default="a4")
    templates: str | None = _help("a user folder tried before the built-in templates", default=None)
    large_run: int = _help("findings from which the body is capped per rule", default=LARGE_RUN)
    worst_per_rule: int = _help("findings shown per rule in a large run", default=WORST_PER_RULE)
    key_appendix: int = _help(
        "keys the appendix lists at most; past it, only keys with findings", default=KEY_APPENDIX
    )
    prepared_by: str | None = _help(
        "who prepared the report (sign-off); None: the run's actor", default=None
    )
    reviewed_by: str | None = _help("who reviews it (sign-off); None: a blank line", default=None)


@dataclass(frozen=True)
class Posture:
    """One framework's control counts for the executive summary."""

    framework_id: str = _help("framework id, e.g. pci-dss")
    name: str = _help("framework name and version")
    holds: int = _help("controls holding")
    fails: int = _help("controls failing")
    manual: int = _help("controls with no rule: need a person's evidence")
    not_evaluated: int = _help("controls whose rules lacked input")
    total: int = _help("all controls of the framework")


@dataclass(frozen=True)
class NamedFinding:
    """One finding named for a reader: rule, key (or other subject) and owner."""

    severity: str = _help("the finding's own severity")
    rule_id: str = _help("the rule that found it")
    title: str = _help("the rule's title")
    subject: str = _help("key id, or source address, file or 'logs' when no key")
    owner: str | None = _help("the key's owner (None: no key, or none on record)")
    environment: str | None = _help("the key's environment, when known")
    message: str = _help("one line saying what is wrong")
    waived: bool = _help("covered by a waiver in force", default=False)
    due: str | None = _help(
        "remediation due date (YYYY-MM-DD) of its management response", default=None
    )
    overdue: bool = _help("its management response is overdue", default=False)


@dataclass(frozen=True)
class Action:
    """One of the most urgent things to do, about one key (or other subject), in plain language."""

    severity: str = _help("severity of the worst open finding on the key")
    headline: str = _help("what is wrong: the worst finding's rule title")
    detail: str = _help("what to do (the rule's remediation)")
    rule_id: str = _help("the rule behind it")
    subject: str = _help("the key id (or source address, file) the action is about", default="")
    owner: str | None = _help("who answers for the key (None: none on record)", default=None)
    environment: str | None = _help("the key's environment, when known", default=None)
    others: int = _help("further open findings on the same key", default=0)
    keyed: bool = _help("about an inventory key (else a source address, file or log)", default=True)
    due: str | None = _help("remediation due date of the worst finding's response", default=None)
    overdue: bool = _help("that response is overdue", default=False)


@dataclass(frozen=True)
class Change:
    """Findings compared with the previous run of the same scope."""

    previous_run: str | None = _help("id (or as-of) of the run compared with")
    new: int = _help("findings not in the previous run")
    resolved: int = _help("findings of the previous run that are gone")
    persisting: int = _help("findings in both runs")
    new_named: list[NamedFinding] = _help(
        "the new findings by rule, key and owner, worst first", default_factory=list
    )
    resolved_named: list[NamedFinding] = _help(
        "the resolved findings by rule, key and owner, worst first", default_factory=list
    )


@dataclass(frozen=True)
class ResponseSection:
    """The open findings with their management response, the overdue ones first."""

    rows: list[FindingRecord] = _help("findings shown: overdue first, then by due date")
    hidden: int = _help("open findings not listed (large runs; all are in result.json)")
    overdue: int = _help("findings whose response is overdue")
    statuses: list[tuple[str, int]] = _help("(status in words, open findings), in order")
    days: list[tuple[str, int]] = _help("(severity, remediation days) from the run's policy")


@dataclass(frozen=True)
class SignOff:
    """Who prepared the report and who reviews it; dates and signatures are left to sign."""

    prepared_by: str | None = _help("--prepared-by, else the actor who wrote the report")
    reviewed_by: str | None = _help("--reviewed-by; None leaves a blank line", default=None)


@dataclass(frozen=True)
class ChartFigure:
    """A chart ready for ``_chart.html``: an SVG scene of rectangles, lines and texts."""

    id: str = _help("stable id, also the figure's anchor")
    title: str = _help("figure title")
    caption: str = _help("one sentence saying what to read from it")
    width: int = _help("SVG width in user units")
    height: int = _help("SVG height in user units")
    rects: list[dict[str, Any]] = _help("x, y, w, h, fill (pattern id or colour), title")
    lines: list[dict[str, Any]] = _help("x1, y1, x2, y2, cls (axis, grid, limit)")
    paths: list[dict[str, Any]] = _help("d, cls, marker points for line series")
    texts: list[dict[str, Any]] = _help("x, y, text, anchor, cls")
    legend: list[dict[str, Any]] = _help("fill and label of each legend entry")
    empty: str | None = _help("text shown instead of the chart when there is no data", default=None)


@dataclass(frozen=True)
class RuleSection:
    """The findings of one rule, worst first, possibly capped."""

    rule: RuleRecord = _help("the rule's entry from the result document")
    worst: str = _help("the most severe of the rule's findings (the group's badge and rank)")
    findings: list[FindingRecord] = _help("the findings shown, worst first")
    hidden: int = _help("findings not shown in the body (they are in the attachments)")
    total: int = _help("all findings of the rule")


@dataclass(frozen=True)
class ReportContext:
    """Everything ``audit.html`` may use; built by ``toolkit.reports.build.build_context``."""

    doc: ResultDocument = _help("the result document itself (RESULT_CONTRACT.md)")
    run: RunFacts = _help("the stored run's id, creation time and result digest")
    options: ReportOptions = _help("audience, paper, caps")
    title: str = _help("the report's title")
    posture: list[Posture] = _help("per framework: holds / fails / manual / not evaluated")
    severity_counts: list[tuple[str, int]] = _help("(severity, findings) most severe first")
    open_findings: int = _help("findings not covered by a waiver in force")
    open_keys: int = _help("inventory keys with at least one open finding")
    waiver_lines: list[str] = _help(
        "sentences counting waived findings and ended waivers (waivers as waivers, findings as "
        "findings)"
    )
    lead: list[NamedFinding] = _help(
        "open findings that come first: an active root key, keys used after revocation or "
        "expiry, exposed keys"
    )
    lead_unjudged: list[RuleRecord] = _help(
        "lead rules not evaluated (missing input): the summary says so instead of 'none found'"
    )
    actions: list[Action] = _help("the five most urgent actions, each about a different key")
    overdue: list[NamedFinding] = _help(
        "open findings whose management response is overdue, most urgent first"
    )
    worst: list[NamedFinding] = _help(
        "the worst open findings after the lead ones (the executive report's list)"
    )
    change: Change | None = _help("new / resolved / persisting versus the previous run, or None")
    charts: list[ChartFigure] = _help("the charts page, in order")
    rule_sections: list[RuleSection] = _help(
        "findings grouped by rule, the group with the most severe finding first"
    )
    capped: bool = _help("True when the body shows only each rule's worst findings")
    appendix_keys: list[KeyRecord] = _help(
        "the keys the appendix lists: every key, or past options.key_appendix keys only (the "
        "first of) those with findings"
    )
    keys_left_out: int = _help("keys the appendix leaves out (all are in result.json)")
    waivers_in_force: list[WaiverRecord] = _help("waivers active at the as-of time")
    waivers_ended: list[WaiverRecord] = _help("waivers expired or revoked")
    policy_rows: list[tuple[str, Any]] = _help("(dotted policy key, value) used by the run")
    attachments: list[str] = _help("names of the files attached to the PDF")
    logo: str | None = _help("logo.svg/logo.png URL from the user's template folder", default=None)
    responses: ResponseSection | None = _help(
        "the management-response section (open findings, overdue first)", default=None
    )
    signoff: SignOff = _help(
        "preparer and reviewer for the sign-off block", default_factory=lambda: SignOff(None)
    )


def documented_fields(cls: type) -> dict[str, str]:
    """Field name -> help text of a context dataclass (for docs and the contract test)."""
    return {item.name: item.metadata.get("help", "") for item in fields(cls)}
