"""Finding rows stored through the driver (SQLite) are the rows SQLAlchemy's insert stores."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, text

from toolkit.audit.storage import FINDINGS, insert_findings
from toolkit.store import open_store
from toolkit.store.tables import AuditRun

AT = datetime(2026, 10, 1, tzinfo=UTC)
EVIDENCE: list[dict[str, Any]] = [
    {},
    {"age_days": 412.5, "due_at": "2026-01-01T00:00:00Z", "scopes": ["s3:*", "ünïcode ✓"]},
    {"occurrences": [{"count": 3, "ip": "203.0.113.7", "nested": {"b": None, "a": True}}]},
    {"quote": 'say "hi"\n\tand\\ go', "big": 2**60, "small": -1e-7},
]


def rows(run_id: str) -> list[dict[str, Any]]:
    """Finding rows as ``finding_rows`` makes them, with awkward values."""
    return [
        {
            "run_id": run_id,
            "finding_id": f"f{i:04d}",
            "rule_id": "broad-scope",
            "severity": "medium",
            "subject": f"key-{i}",
            "provider": None if i % 2 else "aws",
            "environment": "prod" if i % 3 else None,
            "message": f"finding {i} — “quoted”",
            "evidence": EVIDENCE[i % len(EVIDENCE)],
            "waiver_id": None,
            "waiver_state": None,
        }
        for i in range(9)
    ]


def run(run_id: str) -> AuditRun:
    """A minimal stored run for the rows to belong to."""
    return AuditRun(
        id=run_id,
        created_at=AT,
        as_of=AT,
        actor="test",
        policy_digest="p",
        scope_digest="s",
        tool_version="t",
        ruleset_version="r",
    )


def test_driver_rows_equal_core_rows(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    with store.session() as session:
        session.add_all([run("run-fast"), run("run-core")])
        session.flush()
        insert_findings(session, rows("run-fast"))
        session.connection().execute(insert(FINDINGS), rows("run-core"))
    query = "SELECT * FROM findings WHERE run_id = :r ORDER BY finding_id"
    with store.engine.connect() as connection:
        fast = [tuple(r)[2:] for r in connection.execute(text(query), {"r": "run-fast"})]
        core = [tuple(r)[2:] for r in connection.execute(text(query), {"r": "run-core"})]
    assert len(fast) == 9
    assert fast == core
