"""One analysis: inventory into DuckDB, shared tables, every detection, true last use."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import duckdb

from toolkit.analytics.detections import DETECTIONS, Context, Detection, Hit
from toolkit.analytics.detections.retention import coverage
from toolkit.analytics.inventory import create_table, register_inventory
from toolkit.analytics.prepare import prepare
from toolkit.analytics.settings import DetectionSettings
from toolkit.analytics.usage import KeyUsage, key_usage
from toolkit.errors import ToolkitError
from toolkit.rules.interface import Finding, Severity, Tier
from toolkit.rules.model import evidence_value
from toolkit.timeutil import ensure_utc

if TYPE_CHECKING:
    from toolkit.models import KeyBase


class AnalyticsError(ToolkitError):
    """The access-log analysis cannot run (for instance: no ``events`` table loaded)."""


@dataclass
class AnalyticsResult:
    """Everything one analysis found: hits per detection, usage per key, coverage facts."""

    as_of: datetime
    period_start: datetime | None
    settings: DetectionSettings
    hits: dict[str, list[Hit]]
    usage: list[KeyUsage]
    coverage: dict[str, Any]
    baseline: dict[str, list[str]]
    """Locations per key inside its baseline; pass it as ``baseline=`` to a later run."""
    timings: dict[str, float] = field(default_factory=dict)

    def tiered(self) -> list[tuple[Tier, Detection, Hit]]:
        """Every hit with its detection and alert tier, in registry order."""
        return [(d.tier, d, h) for d in DETECTIONS for h in self.hits.get(d.id, [])]


def to_finding(
    detection: Detection, hit: Hit, at: datetime | None = None, *, name_detection: bool = True
) -> Finding:
    """One hit as a Finding of the detection's rule, evidence as JSON data (never values).

    ``name_detection`` adds the detection's id to the evidence (a rule may have several).
    This is the one place hits become findings, for alerts and audit runs alike.
    """
    evidence = {name: evidence_value(v) for name, v in sorted(hit.evidence.items())}
    if name_detection:
        evidence["detection"] = detection.id
    return Finding(
        rule_id=detection.rule,
        severity=Severity(hit.severity),
        subject=str(hit.subject),
        message=hit.message,
        provider=hit.provider,
        environment=hit.environment,
        evidence=evidence,
        at=at,
    )


def _register_baseline(
    con: duckdb.DuckDBPyConnection, baseline: Mapping[str, Iterable[str]]
) -> None:
    """The table ``known_locations(key_id, location)`` from a previous run's baseline."""
    pairs = ((k, loc) for k, locs in baseline.items() for loc in locs)
    create_table(con, "known_locations", {"key_id": "VARCHAR", "location": "VARCHAR"}, pairs)


def _baseline(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """This run's baseline locations per inventory key id."""
    rows = con.execute(
        "SELECT i.key_id, l.location FROM key_locations l JOIN inventory i ON i.kid = l.kid "
        "WHERE l.in_baseline ORDER BY i.key_id, l.location"
    ).fetchall()
    out: dict[str, list[str]] = {}
    for key_id, location in rows:
        out.setdefault(key_id, []).append(location)
    return out


def _check_events(con: duckdb.DuckDBPyConnection) -> None:
    """Fail clearly when no ``events`` table has been loaded."""
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'events'"
    ).fetchone()
    if not found or not found[0]:
        raise AnalyticsError("no access events loaded (the DuckDB table 'events' is missing)")


def analyse(
    con: duckdb.DuckDBPyConnection,
    keys: Sequence[KeyBase],
    settings: DetectionSettings,
    as_of: datetime,
    period_start: datetime | None = None,
    baseline: Mapping[str, Iterable[str]] | None = None,
) -> AnalyticsResult:
    """Run every detection once over the loaded ``events`` table and the inventory ``keys``."""
    _check_events(con)
    started = time.perf_counter()
    register_inventory(con, keys)
    _register_baseline(con, baseline or {})
    ctx = Context(
        con,
        settings,
        ensure_utc(as_of),
        ensure_utc(period_start) if period_start else None,
        has_inventory=bool(keys),
    )
    prepare(ctx)
    timings = {"prepare": time.perf_counter() - started}
    hits: dict[str, list[Hit]] = {}
    for detection in DETECTIONS:
        t0 = time.perf_counter()
        hits[detection.id] = detection.run(ctx)
        timings[detection.id] = time.perf_counter() - t0
    t0 = time.perf_counter()
    usage = key_usage(con)
    timings["usage"] = time.perf_counter() - t0
    facts = dict(
        coverage(ctx), inventory_keys=len(keys), keys_with_events=sum(1 for u in usage if u.events)
    )
    return AnalyticsResult(
        ctx.as_of, ctx.period_start, settings, hits, usage, facts, _baseline(con), timings
    )
