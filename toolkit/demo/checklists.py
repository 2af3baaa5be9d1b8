"""The tour's checklists: the pre-deployment sign-off and an older maintenance round, their
answers files, and the steps that run them and write the managers' report."""

from __future__ import annotations

from pathlib import Path

from toolkit.demo.tour import AS_OF, Step

ANSWERS = "demo-answers.yaml"
MAINTENANCE_ANSWERS = "demo-maintenance-answers.yaml"
MAINTENANCE_AS_OF = "2026-08-17T09:00:00Z"
"""When the maintenance round was signed: its monthly access review has run out by the audit."""

EVIDENCE = "secrets-manager-export.csv"

PRE_DEPLOYMENT = f"""\
# Answers for `keyvigil checklist run pre-deployment --answers {ANSWERS}`.
checklist: pre-deployment
attested_by: Dana Whitfield (Head of Platform)
answers:
  secrets-in-secret-manager:
    holds: true
    note: Production and staging secrets are read from AWS Secrets Manager; export attached.
    evidence: {EVIDENCE}
  access-controls-configured:
    holds: true
    note: IAM policies reviewed; production secret access needs approval and MFA.
  monitoring-and-alerting-enabled:
    holds: false
    note: The weekly alert report is not scheduled yet; owner platform-security, due 2026-10-15.
    by: Sam Okafor (Security Engineering)
"""

MAINTENANCE = """\
# Answers for the August maintenance round (signed 2026-08-17).
checklist: regular-maintenance
attested_by: Priya Raman (Security Manager)
answers:
  monthly-access-review:
    holds: true
    note: August access review of the prod and staging secret paths; two stale grants removed.
  annual-security-assessment:
    holds: true
    note: 2026 assessment by the internal audit team, report IA-2026-07.
  training-and-awareness:
    holds: true
    note: Secrets-handling session for all engineering teams on 2026-08-12.
"""

EVIDENCE_CSV = """\
secret_path,environment,rotation_days
prod/payments/api-key,prod,90
prod/gateway/api-key,prod,90
staging/payments/api-key,staging,30
"""


def write_checklist_answers(folder: Path) -> tuple[Path, Path]:
    """Write the two answers files and the evidence file they cite; return the answers files."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / EVIDENCE).write_text(EVIDENCE_CSV, encoding="utf-8")
    pre = folder / ANSWERS
    pre.write_text(PRE_DEPLOYMENT, encoding="utf-8")
    maintenance = folder / MAINTENANCE_ANSWERS
    maintenance.write_text(MAINTENANCE, encoding="utf-8")
    return pre, maintenance


CHECKLIST_REPORT = "checklists.pdf"
"""The managers' checklist report the tour writes (all three checklists)."""


def checklist_steps(db: str, out: Path) -> list[Step]:
    """An older maintenance round, the pre-deployment sign-off, then the checklist report."""
    pre, maintenance = write_checklist_answers(out / "inputs" / "checklists")
    run = ("checklist", "run")
    return [
        Step(
            "The August maintenance round, signed then (its monthly access review has run out)",
            (
                *run,
                "regular-maintenance",
                "--answers",
                str(maintenance),
                "--as-of",
                MAINTENANCE_AS_OF,
                "--db",
                db,
            ),
        ),  # fmt: skip
        Step(
            "Pre-deployment sign-off from the bundled answers",
            (*run, "pre-deployment", "--answers", str(pre), "--as-of", AS_OF, "--db", db),
        ),
        Step(
            "The checklist report for managers: all three checklists",
            (
                "checklist",
                "report",
                "all",
                "--out",
                str(out / CHECKLIST_REPORT),
                "--as-of",
                AS_OF,
                "--db",
                db,
            ),
        ),  # fmt: skip
    ]
