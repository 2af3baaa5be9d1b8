"""One report path: ``audit run --format pdf`` writes the same pages ``audit report`` does."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from tests.audit.fixture import write_fixture
from toolkit.cli import cli


def pages(path: Path) -> list[str]:
    """The text of every page."""
    return [page.extract_text() for page in PdfReader(path).pages]


def test_audit_run_pdf_equals_audit_report_with_trend(tmp_path: Path) -> None:
    """An earlier run of the same scope, then a run writing its PDF: its report is the same."""
    inventory, logs = write_fixture(tmp_path / "in")
    runner = CliRunner(env={"KEYVIGIL_DB": str(tmp_path / "kv.db"), "KEYVIGIL_ACTOR": "auditor"})
    base = ["audit", "run", "--inventory", str(inventory), "--logs", str(logs)]
    earlier = runner.invoke(cli, [*base, "--as-of", "2026-09-15", "--out", str(tmp_path / "a")])
    assert earlier.exit_code == 0, earlier.output
    out = tmp_path / "final"
    final = runner.invoke(
        cli, [*base, "--as-of", "2026-10-01", "--format", "pdf", "--out", str(out)]
    )
    assert final.exit_code == 0, final.output
    (from_run,) = out.glob("run-*.pdf")
    report = tmp_path / "report.pdf"
    written = runner.invoke(cli, ["audit", "report", from_run.stem, "--out", str(report)])
    assert written.exit_code == 0, written.output
    run_pages, report_pages = pages(from_run), pages(report)
    assert run_pages == report_pages
    text = "\n".join(run_pages)
    assert "Compared with run-" in text
    assert "2 run(s) in as-of order" in text
    assert "15 Sep 2026" in text  # each run's point is labelled with its own as-of date
    assert "No earlier runs of this scope" not in text
