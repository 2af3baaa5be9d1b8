"""One audit run: ingest -> rules -> findings -> stored run -> outputs; and looking at runs."""

from toolkit.audit.diff import RunDiff, diff_documents
from toolkit.audit.result import ResultDocument
from toolkit.audit.run import AuditOutcome, AuditRequest, run_audit
from toolkit.audit.storage import get_run, list_runs, previous_run, run_bytes, run_document

__all__ = [
    "AuditOutcome",
    "AuditRequest",
    "ResultDocument",
    "RunDiff",
    "diff_documents",
    "get_run",
    "list_runs",
    "previous_run",
    "run_audit",
    "run_bytes",
    "run_document",
]
