"""``keyvigil alerts``: Evaluate the seed's alert thresholds over access logs."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.analytics.alert_run import AlertRequest, run_alerts
from toolkit.analytics.alerts import TIERS, AlertReport
from toolkit.analytics.interface import LoadReport
from toolkit.cli.options import app, global_options, log_reading_options
from toolkit.cli.output import note, print_json, print_table
from toolkit.rules.interface import Tier
from toolkit.rules.policy import load_policy
from toolkit.timeutil import isoformat, parse_cli_time

TIER_NAMES = {Tier.IMMEDIATE: "pager", Tier.DAILY: "e-mail", Tier.WEEKLY: "report"}


def _print(report: AlertReport, tiers: list[Tier]) -> None:
    """Alerts grouped by tier (the chosen ones), most severe first."""
    for tier in tiers:
        alerts = report.by_tier(tier)
        click.echo(f"{tier.upper()} ({TIER_NAMES[tier]}): {len(alerts)} alert(s)")
        if alerts:
            rows = [
                (
                    a.finding.severity,
                    a.finding.rule_id,
                    a.finding.subject,
                    a.finding.message,
                    a.trace.where() if a.trace is not None else "",
                )
                for a in alerts
            ]
            headers = ("severity", "rule", "subject", "message", "events at")
            print_table(headers, rows, wrap=("message", "events at"))
        click.echo("")


def _summary(loaded: LoadReport) -> None:
    """What was read, and every skipped record's place (the first ones), on stderr."""
    read = f"read {loaded.events} event(s) from {len(loaded.files)} file(s)"
    if loaded.min_ts is not None and loaded.max_ts is not None:
        read += f", {isoformat(loaded.min_ts)} .. {isoformat(loaded.max_ts)}"
    note(read)
    for line in loaded.notes():
        note(line)
    if loaded.skipped:
        note(f"skipped {loaded.skipped} bad record(s):")
        for bad in loaded.bad_records[:20]:
            note(f"  {bad}")


@click.command("alerts")
@click.argument("more_logs", nargs=-1, type=click.Path(path_type=Path), metavar="[PATH]...")
@click.option(
    "--logs", multiple=True, metavar="PATH", help="Log file, glob or folder (repeatable)."
)
@click.option(
    "--inventory",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Inventory file(s) to judge (default: the keys in the database).",
)
@click.option(
    "--tier",
    "tiers",
    multiple=True,
    type=click.Choice([str(t) for t in TIERS]),
    help="Only this tier (repeatable; default: all three).",
)
@click.option("--since", metavar="TIME", help="Report activity from this time on (ISO 8601).")
@log_reading_options
@global_options
@click.pass_context
def command(
    ctx: click.Context,
    more_logs: tuple[Path, ...],
    logs: tuple[str, ...],
    inventory: tuple[Path, ...],
    tiers: tuple[str, ...],
    since: str | None,
    log_format: str | None,
    skip_bad_records: bool,
    assume_tz: str | None,
) -> None:
    """Evaluate the seed's alert thresholds over access logs, grouped by tier.

    Exit status 1 when an immediate (pager) alert fires, 0 otherwise, 2 on bad input.

    Example: keyvigil alerts --logs logs/ --inventory keys.csv --as-of 2026-10-01
    """
    a = app(ctx)
    if not logs and not more_logs:
        raise click.UsageError("give at least one --logs PATH")
    request = AlertRequest(
        logs=[*logs, *more_logs],
        inventory=inventory,
        tiers=[Tier(t) for t in tiers] or TIERS,
        log_format=log_format,
        since=parse_cli_time(since, "--since") if since else None,
        skip_bad_records=skip_bad_records,
        assume_tz=assume_tz,
        actor=a.actor_name(),
    )
    store = None if inventory else a.store()
    report, loaded = run_alerts(request, store, load_policy(a.policy_path()), a.clock())
    _summary(loaded)
    if a.json:
        print_json(
            {
                "as_of": report.as_of,
                "since": report.since,
                "coverage": report.coverage.to_dict(),
                "skipped_records": loaded.skipped,
                "alerts": {str(t): [x.to_dict() for x in report.by_tier(t)] for t in TIERS},
            }
        )
    else:
        _print(report, list(request.tiers))
    ctx.exit(1 if report.immediate else 0)
