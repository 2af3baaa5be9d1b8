"""The demo tour: bundled data written to a folder, then the real commands run on it in turn."""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.audit import list_runs
from toolkit.audit.document import stable_id
from toolkit.demo import DEMO_AS_OF
from toolkit.demo.inventory import FILE_ENVIRONMENTS, write_demo_inventories
from toolkit.demo.logs import write_demo_logs
from toolkit.demo.scan import SCAN_FILE, ServiceTree, write_demo_service
from toolkit.ingest.inventory.values import key_values
from toolkit.models import KeyBase
from toolkit.store import Store
from toolkit.timeutil import isoformat

AS_OF = isoformat(DEMO_AS_OF) or ""
"""The tour's fixed ``--as-of``: the day after the quarter its logs cover."""

WAIVER_AS_OF = "2026-08-01T00:00:00Z"
"""When the tour's expired waiver was granted (it lapsed before the audit)."""


@dataclass(frozen=True)
class Step:
    """One command of the tour: why it runs, its arguments, the exit codes that are expected."""

    title: str
    args: tuple[str, ...]
    ok_codes: tuple[int, ...] = (0,)

    def shell(self) -> str:
        """The command as a person would type it."""
        return "keyvigil " + " ".join(shlex.quote(a) for a in self.args)


def fresh_database(path: Path) -> None:
    """Remove the demo's own SQLite file (and its WAL files) so each tour starts clean."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


OWNER_UPDATE = "demo-house-owner-update.csv"
"""A later house export naming the owner the orphaned key lacked (fixes one finding)."""


def write_owner_update(folder: Path) -> Path:
    """The fix between the two audit runs: ``prod-orphan-key`` gets its owner."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / OWNER_UPDATE
    path.write_text("id,owner\nprod-orphan-key,orders\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class Inputs:
    """The files the tour writes before it runs anything (logs come later)."""

    inventories: list[Path]
    scan: Path
    service: ServiceTree
    logs_dir: Path
    owner_update: Path


def write_inputs(out: Path) -> Inputs:
    """Write the bundled inventories, the service tree to scan and the later owner fix.

    The logs are written after the import: they follow the keys the store then holds.
    """
    folder = out / "inputs"
    return Inputs(
        inventories=write_demo_inventories(folder / "inventory"),
        scan=folder / "scan" / SCAN_FILE,
        service=write_demo_service(folder / "service"),
        logs_dir=folder / "logs",
        owner_update=write_owner_update(folder / "updates"),
    )


def import_steps(db: str, inventories: Sequence[Path]) -> list[Step]:
    """Import each inventory group with its environment, then list what the store holds."""
    groups: dict[str | None, list[str]] = {}
    for path in inventories:
        groups.setdefault(FILE_ENVIRONMENTS.get(path.name), []).append(str(path))
    steps = []
    for environment, files in groups.items():
        env = ("--environment", environment) if environment else ()
        steps.append(
            Step("Import the key inventory", ("inventory", "import", *files, *env, "--db", db))
        )
    steps.append(Step("List the keys keyvigil now knows", ("inventory", "list", "--db", db)))
    return steps


def audit_steps(db: str, logs: Sequence[Path], inputs: Inputs, out: Path) -> list[Step]:
    """Alerts, a first audit run, waivers granted, then the quarterly audit run."""
    log_args = tuple(a for p in logs for a in ("--logs", str(p)))
    common = ("--db", db, "--as-of", AS_OF)
    frameworks = ("--frameworks", "soc2,pci-dss,gdpr,hipaa")
    audit = ("audit", "run", *log_args, "--scan", str(inputs.scan), *frameworks, *common)
    service = inputs.service
    scan = ("scan", *map(str, service.paths()), "--home", str(service.home))
    return [
        Step(
            "Scan the service's code, logs and host config for secrets and inventoried keys",
            (*scan, "--format", "json", "--out", str(inputs.scan), *common),
        ),
        Step(
            "Alerts by tier over the quarter's access logs (exit 1: a pager alert fired)",
            ("alerts", *log_args, *common),
            (0, 1),
        ),
        Step(
            "A first audit run (all four frameworks)",
            (*audit, "--out", str(out / "run-1"), "--format", "json"),
        ),
        Step(
            "The owner of prod-orphan-key is found: import the corrected export",
            ("inventory", "import", str(inputs.owner_update), "--db", db),
        ),
        Step(
            "Waive a finding the team accepted, with owner, reason and expiry",
            (
                "waiver",
                "add",
                "no-expiry",
                "--key",
                "AKIA*",
                "--owner",
                "cloud-platform",
                "--reason",
                "IAM access keys cannot carry an expiry; rotation-overdue covers them",
                "--expires",
                "2026-12-31",
                "--approved-by",
                "ciso@example.org",
                *common,
            ),
        ),
        Step(
            "A waiver that lapsed before the audit (reported as 'waiver expired')",
            (
                "waiver",
                "add",
                "broad-scope",
                "--key",
                "*",
                "--owner",
                "platform-security",
                "--reason",
                "Scope review scheduled for August",
                "--expires",
                "2026-09-15",
                "--db",
                db,
                "--as-of",
                WAIVER_AS_OF,
            ),
        ),
        *response_steps(db),
        Step(
            "The quarterly audit run: JSON, CSV, SARIF, OSCAL, PDF and HTML",
            (*audit, "--out", str(out / "run-2"), "--format", "json,csv,sarif,oscal,pdf,html"),
        ),
    ]


DEMO_RESPONSES = (
    (
        ("used-after-revocation", "prod-revoked-rotated", "house"),
        ("--owner", "orders", "--due", "2026-09-20", "--status", "in-progress"),
        "The nightly batch job still calls the revoked key; it moves to the new key in release 4.2",
    ),
    (
        ("shared-between-owners", "staging-cache-a", "house"),
        ("--status", "risk-accepted"),
        "Staging cache shared by design until the cache split in Q1 2027; no production data",
    ),
    (
        ("denied-burst", "prod-new-deploy-key", "house"),
        ("--owner", "platform-oncall", "--due", "2026-10-15", "--status", "in-progress"),
        "Deploy pipeline asked for permissions it lacks; scopes under review",
    ),
)
"""Management's responses after the first run: one already overdue, one accepted risk."""


def response_steps(db: str) -> list[Step]:
    """Record the demo's management responses (finding ids are stable: rule + subject)."""
    return [
        Step(
            f"Management responds to {rule} on {subject}",
            ("finding", "respond", stable_id(rule, subject, provider), *options, "--note", note)
            + ("--db", db),
        )
        for (rule, subject, provider), options, note in DEMO_RESPONSES
    ]


def report_steps(db: str, out: Path, first_run: str, final_run: str) -> list[Step]:
    """Compare the two runs, write the reports, verify the PDF and the trail."""
    pdf = out / "audit-report.pdf"
    return [
        Step(
            "What changed between the two runs", ("audit", "diff", first_run, final_run, "--db", db)
        ),
        Step(
            "The full audit report for assessors",
            ("audit", "report", final_run, "--out", str(pdf), "--format", "pdf,html", "--db", db),
        ),
        Step(
            "The short version for managers",
            (
                "audit",
                "report",
                final_run,
                "--out",
                str(out / "audit-executive.pdf"),
                "--audience",
                "executive",
                "--db",
                db,
            ),
        ),
        Step(
            "Check the report is the one the run produced",
            ("report", "verify", str(pdf), "--db", db),
        ),
        Step("Check the audit trail of everything the tour did", ("trail", "verify", "--db", db)),
    ]


def run_ids(store: Store) -> list[str]:
    """Ids of the stored audit runs, oldest first."""
    with store.session() as session:
        return [run.id for run in reversed(list_runs(session))]


def write_logs(keys: Sequence[KeyBase], logs_dir: Path) -> list[Path]:
    """The quarter's access logs for the imported keys."""
    return write_demo_logs(logs_dir, keys)


Runner = Callable[[Step], int]


def run_steps(steps: Sequence[Step], run: Runner) -> None:
    """Run each step; stop at the first whose exit code is not expected."""
    for step in steps:
        code = run(step)
        if code not in step.ok_codes:
            raise RuntimeError(f"demo step failed with exit code {code}: {step.shell()}")


def stored_keys(store: Store) -> list[KeyBase]:
    """The keys imported so far."""
    with store.session() as session:
        return key_values(session)
