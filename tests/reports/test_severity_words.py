"""Severity per finding row, worst-first groups, and counts a reader cannot misread (issue 10)."""

from __future__ import annotations

import re
from collections import Counter

from tests.reports.test_render import html_of
from toolkit.audit.result import ResultDocument


def _raised(doc: ResultDocument, rule_id: str, severity: str) -> ResultDocument:
    """``doc`` with the first ``rule_id`` finding raised to ``severity`` (a hit can be)."""
    findings = list(doc.findings)
    index = next(i for i, f in enumerate(findings) if f.rule_id == rule_id)
    findings[index] = findings[index].model_copy(update={"severity": severity})
    by_severity: Counter[str] = Counter(f.severity for f in findings)
    summary = doc.summary.model_copy(
        update={"by_severity": {s: by_severity.get(s, 0) for s in doc.summary.by_severity}}
    )
    return doc.model_copy(update={"findings": findings, "summary": summary})


def _row_severities(html: str) -> list[str]:
    """The severity badge of every finding row, in order."""
    findings = html.split('id="findings"')[1].split('id="waivers"')[0]
    return re.findall(r'<td class="f-sev"><span class="badge sev sev-(\w+)">', findings)


def _group_badges(html: str) -> list[tuple[str, str]]:
    """(badge severity, rule id) of each findings group, in order."""
    return re.findall(
        r'<h2><span class="badge sev sev-(\w+)">\w+</span>[^<]*</h2>\s*'
        r'<p class="rule-meta"><span class="mono">([\w-]+)</span>',
        html,
    )


def test_every_row_shows_its_own_severity_and_sums_match_the_headline(
    sample_doc: ResultDocument,
) -> None:
    doc = _raised(sample_doc, "rotation-overdue", "critical")
    html = html_of(doc)
    rows = Counter(_row_severities(html))
    assert sum(rows.values()) == len(doc.findings)
    tiles = {
        name: int(n)
        for n, name in re.findall(
            r'<span class="tile-n">(\d+)</span><span class="tile-l">(\w+)</span>', html
        )
    }
    for severity in ("critical", "high", "medium", "low", "info"):
        assert rows.get(severity, 0) == tiles[severity] == doc.summary.by_severity[severity]


def test_a_group_is_badged_and_ranked_by_its_worst_finding(sample_doc: ResultDocument) -> None:
    doc = _raised(sample_doc, "expiring-soon", "critical")
    groups = _group_badges(html_of(doc))
    badge = {rule: sev for sev, rule in groups}
    assert badge["expiring-soon"] == "critical"
    order = [rule for _, rule in groups]
    assert order.index("expiring-soon") < order.index("rotation-overdue")
    ranks = ["critical", "high", "medium", "low", "info"]
    assert [ranks.index(sev) for sev, _ in groups] == sorted(ranks.index(s) for s, _ in groups)


def test_inside_a_group_the_raised_finding_comes_first(sample_doc: ResultDocument) -> None:
    doc = _raised(sample_doc, "expiring-soon", "critical")
    html = html_of(doc)
    group = html.split('id="rule-expiring-soon"')[1].split('<div class="rule"')[0]
    assert re.findall(r'sev-(\w+)">\w+</span></td>', group)[0] == "critical"
    assert "rule severity low" in group


def test_waivers_are_counted_as_waivers_and_findings_as_findings(
    sample_doc: ResultDocument,
) -> None:
    expired = sample_doc.waivers[1].model_copy(update={"matched": 11})
    doc = sample_doc.model_copy(
        update={"waivers": [sample_doc.waivers[0], expired, sample_doc.waivers[2]]}
    )
    html = html_of(doc)
    line = re.search(r'<p class="small muted waiver-counts">([^<]*)</p>', html)
    assert line is not None
    waived = sum(1 for f in doc.findings if f.waived)
    assert f"{waived} of 40 findings are waived, by 1 waiver in force." in line.group(1)
    assert "1 waiver, expired, covering 11 findings (they count as open)." in line.group(1)
    assert "1 waiver, revoked, covering 0 findings." in line.group(1)
    assert "waiver(s)" not in html and "+" + str(waived) + " waived" not in html


def test_a_control_counts_its_waived_findings_inside_the_total(sample_doc: ResultDocument) -> None:
    html = html_of(sample_doc)
    waived = [c for fw in sample_doc.frameworks for c in fw.controls if c.waived]
    assert waived
    for control in waived:
        assert f'{control.findings}<br><span class="small">{control.waived} of them waived' in html
    assert not re.search(r">\+\d+ waived<", html)


def _waiver_rows(html: str) -> dict[str, str]:
    """Waiver id -> its table row in the waivers section."""
    section = html.split('id="waivers"')[1].split("</section>")[0]
    rows = re.findall(r'<tr><td class="mono">#(\d+)(.*?)</tr>', section, flags=re.S)
    return dict(rows)


def test_each_waiver_shows_its_approver_or_is_flagged_unapproved(
    sample_doc: ResultDocument,
) -> None:
    rows = _waiver_rows(html_of(sample_doc))
    assert set(rows) == {"1", "2", "3"}
    assert "approved by ciso@example.org on 16 Jul 2026" in rows["1"]
    assert "unapproved" not in rows["1"]
    assert '<span class="badge waiver-flag">unapproved</span>' in rows["2"]
    assert "set after the period" not in "".join(rows.values())


def test_a_waiver_set_after_the_as_of_is_flagged(sample_doc: ResultDocument) -> None:
    late = sample_doc.waivers[0].model_copy(
        update={"created_at": "2026-10-02T09:00:00Z", "created_after_as_of": True}
    )
    doc = sample_doc.model_copy(update={"waivers": [late, *sample_doc.waivers[1:]]})
    rows = _waiver_rows(html_of(doc))
    assert '<span class="badge waiver-flag">set after the period</span>' in rows["1"]
    assert "set after the period" not in rows["2"] + rows["3"]


def test_remediation_commands_are_code_not_raw_backticks(sample_doc: ResultDocument) -> None:
    rule = sample_doc.rules[0].model_copy(
        update={"remediation": "Open an incident (`keyvigil incident open key-compromise`) <now>."}
    )
    doc = sample_doc.model_copy(update={"rules": [rule, *sample_doc.rules[1:]]})
    html = html_of(doc)
    assert '<code class="cmd">keyvigil incident open key-compromise</code>' in html
    assert "`" not in html.split('id="summary"')[1].split('id="methodology"')[0]
    assert "&lt;now&gt;" in html and "<now>" not in html


def test_open_findings_are_counted_over_the_keys_that_have_them(sample_doc: ResultDocument) -> None:
    html = html_of(sample_doc)
    open_keys = {
        (f.key.provider, f.key.key_id) for f in sample_doc.findings if f.key and not f.waived
    }
    assert 0 < len(open_keys) < len(sample_doc.keys)
    open_count = sum(1 for f in sample_doc.findings if not f.waived)
    assert (
        f"<strong>{open_count}</strong> of 40 findings are open, on {len(open_keys)} of the "
        f"{len(sample_doc.keys)} keys audited" in html
    )


def _rows(html: str, heading: str) -> list[str]:
    """The text of each row of the change table under ``heading``."""
    part = html.split(f"<h3>{heading}</h3>")[1].split("</table>")[0]
    return [re.sub(r"<[^>]+>", " ", row) for row in part.split("<tr>")[2:]]


def test_new_and_resolved_findings_are_named_with_key_and_owner(
    sample_doc: ResultDocument,
) -> None:
    changes = html_of(sample_doc).split('id="changes"')[1].split("</section>")[0]
    new = sample_doc.findings[:5]  # previous_of() lacks the first five
    new_rows = _rows(changes, "New findings")
    assert len(new_rows) == len(new)
    for finding in new:
        assert finding.key is not None
        assert any(
            finding.rule_id in row and finding.key.key_id in row and str(finding.key.owner) in row
            for row in new_rows
        ), finding.id
    resolved = sample_doc.findings[0]  # previous_of() holds a copy of it under another id
    (row,) = _rows(changes, "Resolved findings")
    assert resolved.rule_id in row and resolved.subject in row
    assert resolved.key is not None and str(resolved.key.owner) in row
