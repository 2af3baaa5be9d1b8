"""``keyvigil demo``: the full tour on bundled sample data, running the real commands."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli.options import app, global_options
from toolkit.demo import checklists, incident, tour
from toolkit.runbooks.incidents import list_incidents
from toolkit.store import resolve_db_url


def _runner(root: click.Command) -> tour.Runner:
    """Run each step through the real CLI (``root``: the ``keyvigil`` group), printing it first."""

    def run(step: tour.Step) -> int:
        """Print the step and its command, then run it."""
        click.secho(f"\n== {step.title}", bold=True)
        click.secho(f"$ {step.shell()}", fg="cyan")
        code = root.main(args=list(step.args), prog_name="keyvigil", standalone_mode=False)
        return int(code or 0)

    return run


@click.command("demo")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("keyvigil-demo"),
    show_default=True,
    help="Folder for the demo's inputs, database and reports.",
)
@global_options
@click.pass_context
def command(ctx: click.Context, out: Path) -> None:
    """Run the full tour on bundled sample data and write the audit and incident PDFs.

    Writes a quarter of realistic inventories and access logs into OUT, then runs the
    commands an auditor would (import, list, alerts, waivers, two audit runs, diff,
    reports, verification), an incident commander would (a leaked key worked through
    its playbook from an answers file, then its report) and a manager would (the
    checklists), printing each one. Uses its own
    OUT/keyvigil.db (started afresh on each run) unless --db is given on this command line:
    KEYVIGIL_DB is ignored, so the demo's fake keys never land in the team's database by
    accident.

    Example: keyvigil demo --out demo-out
    """
    state = app(ctx)
    runner = _runner(ctx.find_root().command)
    out = out.resolve()
    own_db = out / "keyvigil.db"
    explicit = state.db  # only --db on this command line; never KEYVIGIL_DB
    if not explicit:
        tour.fresh_database(own_db)
    db = resolve_db_url(explicit or str(own_db))
    inputs = tour.write_inputs(out)
    tour.run_steps(tour.import_steps(db, inputs.inventories), runner)
    state.db = db
    logs = tour.write_logs(tour.stored_keys(state.store()), inputs.logs_dir)
    tour.run_steps(tour.audit_steps(db, logs, inputs, out), runner)
    first, final = tour.run_ids(state.store())[-2:]
    tour.run_steps(tour.report_steps(db, out, first, final), runner)
    answers = incident.write_incident_inputs(out / "inputs" / "incident", inputs.service.repo)
    tour.run_steps([incident.open_step(db)], runner)
    ref = list_incidents(state.store())[0].ref
    tour.run_steps(incident.incident_steps(db, ref, answers, logs, out), runner)
    tour.run_steps(checklists.checklist_steps(db, out), runner)
    click.secho("\n== Done", bold=True)
    click.echo(f"database:  {state.store().display}")
    click.echo(f"reports:   {out / 'audit-report.pdf'} (full), {out / 'audit-executive.pdf'}")
    click.echo(f"incident:  {out / 'incident-report.pdf'} ({ref})")
    click.echo(f"checklist: {out / checklists.CHECKLIST_REPORT}")
    click.echo(f"inputs:    {out / 'inputs'}")
