"""Benchmark: render the audit report (PDF/A with attachments) for 100 and 20,000 findings."""

from __future__ import annotations

import time

from tests.reports.docgen import build_document
from toolkit.reports.audit_report import render_audit_report
from toolkit.reports.context import ReportOptions, RunFacts

SIZES = (100, 20_000)
TARGET_SECONDS = 60
TARGET_PAGES = 200
EXECUTIVE_PAGES = 4


def render_once(findings: int, audience: str = "full") -> tuple[float, float, int, int]:
    """Wall and CPU seconds, pages and PDF bytes for one report of ``findings`` findings."""
    doc = build_document(findings=findings, keys=max(30, findings // 5), seed=11)
    start, cpu = time.perf_counter(), time.process_time()
    options = ReportOptions(audience=audience)
    report = render_audit_report(doc, RunFacts(f"run-bench-{findings}"), options)
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    return elapsed, used, report.pages or 0, len(report.pdf or b"")


def main() -> None:
    """Print time, pages and size per size, and whether the targets hold."""
    print("audit report rendering (PDF/A-3b, result.json + findings.csv attached)")
    for findings in SIZES:
        seconds, cpu, pages, size = render_once(findings)
        verdict = "ok" if seconds < TARGET_SECONDS and pages < TARGET_PAGES else "OVER TARGET"
        print(
            f"  {findings:>6} findings: {seconds:6.1f} s (cpu {cpu:5.1f} s)  {pages:4d} pages  "
            f"{size / 1e6:6.2f} MB  [{verdict}: < {TARGET_SECONDS} s, < {TARGET_PAGES} pages]"
        )
    print("executive report (2-4 pages whatever the size of the run)")
    for findings in SIZES:
        seconds, cpu, pages, size = render_once(findings, "executive")
        verdict = "ok" if 2 <= pages <= EXECUTIVE_PAGES else "OVER TARGET"
        print(
            f"  {findings:>6} findings: {seconds:6.1f} s (cpu {cpu:5.1f} s)  {pages:4d} pages  "
            f"{size / 1e6:6.2f} MB  [{verdict}: 2-{EXECUTIVE_PAGES} pages]"
        )


if __name__ == "__main__":
    main()
