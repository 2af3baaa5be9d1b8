"""A forged report: findings deleted in the database, the digest recomputed, the PDF re-rendered.

Every check that compares the PDF with the database then holds, because the database was
rewritten to match. Only the digest that the run's original ``audit.run`` trail entry recorded
cannot be rewritten quietly, so ``report verify`` must fail on it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import text

from tests.reports.conftest import CREATED, RUN_ID, load_sample, store_run
from toolkit.audit.canonical import canonical_bytes
from toolkit.cli import cli
from toolkit.reports.runs import write_report
from toolkit.reports.verify import verify_report


def test_forged_report_fails_verification(sqlite_url: str, tmp_path: Path) -> None:
    """Delete a run's findings, recompute result_sha256, re-render: verify must say NOT genuine."""
    store = store_run(sqlite_url, load_sample())
    genuine = write_report(store, RUN_ID, tmp_path / "genuine.pdf", actor="auditor", at=CREATED)
    assert verify_report(genuine.files[0], store).ok
    with store.engine.begin() as connection:
        body = connection.execute(
            text("SELECT result_json FROM audit_runs WHERE id = :r"), {"r": RUN_ID}
        ).scalar_one()
        doc = json.loads(body)
        doc["findings"] = [f for f in doc["findings"] if f["severity"] != "critical"]
        forged = canonical_bytes(doc)
        connection.execute(text("DELETE FROM findings WHERE run_id = :r"), {"r": RUN_ID})
        connection.execute(
            text("UPDATE audit_runs SET result_json = :j, result_sha256 = :d WHERE id = :r"),
            {"j": forged.decode(), "d": hashlib.sha256(forged).hexdigest(), "r": RUN_ID},
        )
    rendered = write_report(store, RUN_ID, tmp_path / "forged.pdf", actor="mallory", at=CREATED)
    result = verify_report(rendered.files[0], store)
    failing = {check.name for check in result.failures()}
    assert not result.ok
    assert failing == {"trail-run", "trail-chain"}, result.checks
    cli_result = CliRunner().invoke(
        cli, ["report", "verify", str(rendered.files[0]), "--db", sqlite_url]
    )
    assert cli_result.exit_code == 1
    assert "FAIL  trail-run: audit.run entry recorded" in cli_result.stdout
    assert "NOT the report its run produced" in cli_result.stdout
