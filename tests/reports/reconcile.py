"""Reconcile the numbers printed on a report's summary page with its attached ``result.json``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO

from pypdf import PdfReader

from toolkit.audit.result import ResultDocument
from toolkit.reports.context import SEVERITIES


@dataclass(frozen=True)
class SummaryNumbers:
    """Every number of the summary page, either read from its text or counted in result.json."""

    findings: int
    open: int
    keys_with_open: int
    keys: int
    failing_controls: int
    frameworks: int
    by_severity: dict[str, int]
    waived: int
    expired_cover: int
    overdue: int
    change: tuple[int, int, int] | None
    posture: dict[str, tuple[int, int, int, int]]


def summary_text(pdf: bytes) -> str:
    """The summary's text, whitespace collapsed: from 'Where things stand' to its urgent actions.

    The summary may run over a page (long lists first), so its pages are read together.
    """
    pages = [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]
    first = next(i for i, text in enumerate(pages) if "Where things stand" in text)
    last = next(i for i, text in enumerate(pages) if i >= first and "Most urgent actions" in text)
    return " ".join(" ".join(pages[first : last + 1]).split())


def attached_result(pdf: bytes) -> ResultDocument:
    """The result document attached to the PDF."""
    (data,) = PdfReader(BytesIO(pdf)).attachments["result.json"]
    return ResultDocument.from_bytes(data)


def _one(pattern: str, text: str) -> tuple[int, ...]:
    """The integers of the one match of ``pattern`` (thousands may be thin-space separated)."""
    found = re.findall(pattern, text)
    assert len(found) == 1, (pattern, found)
    groups = found[0] if isinstance(found[0], tuple) else (found[0],)
    return tuple(int(g.replace("\u202f", "")) for g in groups)


N = r"(\d[\d\u202f]*)"


def _posture(text: str, doc: ResultDocument) -> Iterator[tuple[str, tuple[int, int, int, int]]]:
    """Each framework's fail / hold / manual / not evaluated, read after its name."""
    for framework in doc.frameworks:
        name = re.escape(f"{framework.name} {framework.version}".strip())
        counts = _one(rf"{name} {N} {N} {N} {N}", text)
        yield framework.id, (counts[0], counts[1], counts[2], counts[3])


def read_summary(pdf: bytes) -> SummaryNumbers:
    """The numbers as the summary page prints them."""
    text, doc = summary_text(pdf), attached_result(pdf)
    head = _one(
        rf"{N} of {N} findings are open, on {N} of the {N} keys audited, and {N} controls fail "
        rf"in {N} framework",
        text,
    )
    waived = _one(rf"{N} of {N} findings are waived", text)[0] if "are waived" in text else 0
    overdue = re.findall(rf"{N} findings? past (?:their|its) remediation due date", text)
    cover = re.findall(rf"waivers?, expired, covering {N} finding", text)
    change = _one(rf"{N}NEW {N}RESOLVED {N}PERSISTING", text) if "PERSISTING" in text else None
    return SummaryNumbers(
        findings=head[1],
        open=head[0],
        keys_with_open=head[2],
        keys=head[3],
        failing_controls=head[4],
        frameworks=head[5],
        by_severity={s: _one(rf"{N}{s.upper()}", text)[0] for s in SEVERITIES},
        waived=waived,
        expired_cover=sum(int(c) for c in cover),
        overdue=int(overdue[0]) if overdue else 0,
        change=(change[0], change[1], change[2]) if change else None,
        posture=dict(_posture(text, doc)),
    )


def _statuses(statuses: list[str]) -> tuple[int, int, int, int]:
    """Controls failing, holding, manual and not evaluated."""
    return (
        statuses.count("fails"),
        statuses.count("holds"),
        statuses.count("manual"),
        statuses.count("not_evaluated"),
    )


def expected_summary(doc: ResultDocument, previous: ResultDocument | None) -> SummaryNumbers:
    """The same numbers counted from the result document (and the previous run's)."""
    open_findings = [f for f in doc.findings if not f.waived]
    ids = {f.id for f in doc.findings}
    before = {f.id for f in previous.findings} if previous else set()
    return SummaryNumbers(
        findings=len(doc.findings),
        open=len(open_findings),
        keys_with_open=len({(f.key.provider, f.key.key_id) for f in open_findings if f.key}),
        keys=len(doc.keys),
        failing_controls=sum(c.get("fails", 0) for c in doc.summary.controls.values()),
        frameworks=len(doc.frameworks),
        by_severity={s: sum(1 for f in doc.findings if f.severity == s) for s in SEVERITIES},
        waived=sum(1 for f in doc.findings if f.waived),
        expired_cover=sum(1 for f in doc.findings if f.waiver and f.waiver.state == "expired"),
        overdue=sum(1 for f in doc.findings if f.response.overdue),
        change=(len(ids - before), len(before - ids), len(ids & before)) if previous else None,
        posture={fw.id: _statuses([c.status for c in fw.controls]) for fw in doc.frameworks},
    )
