"""The checklist report's templates: every name they use is defined (StrictUndefined)."""

from __future__ import annotations

from datetime import UTC, datetime

from toolkit.checklists import evaluate_all, load_all
from toolkit.checklists.evaluators.interface import EvidenceContext
from toolkit.checklists.report import build_report, render_html
from toolkit.rules.policy import Policy
from toolkit.store import open_store

AS_OF = datetime(2026, 10, 1, tzinfo=UTC)


def test_templates_render_under_strict_undefined(demo_db: str) -> None:
    with open_store(demo_db).session() as session:
        statuses = evaluate_all(
            list(load_all().values()), EvidenceContext(session, Policy(), AS_OF)
        )
    report = build_report(statuses, "Example Org", AS_OF, "tester")
    html = render_html(report, None, strict=True)
    assert html.count('class="cl-item ') == 17
    assert "shared-across-environments" in html and "Sign-off" in html
    assert report.totals == {k: sum(s.counts()[k] for s in statuses) for k in report.totals}
