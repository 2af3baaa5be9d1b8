"""One audit run: ingest -> rules -> waivers -> result document -> stored run -> outputs."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sqlmodel import Session, col, select

from toolkit.analytics.alerts import with_logged_use
from toolkit.analytics.interface import Analysis, KeyUsage
from toolkit.audit import inputs as inp
from toolkit.audit.attested import control_attestations
from toolkit.audit.document import AuditParts, build_document
from toolkit.audit.loading import Loaded, finish_inputs, logs_loading, parse_inventories
from toolkit.audit.outputs import OutputWriter, Writers, WrittenFile, check_formats, write_outputs
from toolkit.audit.request import AuditRequest
from toolkit.audit.responses import first_found, stored_responses
from toolkit.audit.result import ResultDocument, TraceRecord, UsageRecord
from toolkit.audit.storage import doc_as_of, new_run_id, save_run
from toolkit.audit.traces import hit_traces, relative_findings
from toolkit.construct import trusted
from toolkit.ingest.inventory.importer import apply_import
from toolkit.ingest.inventory.values import key_values
from toolkit.models import KeyBase
from toolkit.process import collector_paused
from toolkit.rules.engine import Evaluation, evaluate_rules
from toolkit.rules.frameworks import select as select_frameworks
from toolkit.rules.guardrails import guardrails
from toolkit.rules.interface import EventWindow, RuleInputs
from toolkit.rules.policy import Policy, load_policy
from toolkit.rules.waivers import apply_waivers
from toolkit.scan.audit import gate, scan_for_audit
from toolkit.store import Store
from toolkit.store.tables import AuditRun, Waiver
from toolkit.timeutil import ensure_utc, isoformats
from toolkit.trail import append

Progress = Callable[[str], None]


@dataclass
class AuditOutcome:
    """A finished run: its stored row, the document, its bytes and the files written."""

    run: AuditRun
    document: ResultDocument
    body: bytes
    outputs: list[Path] = field(default_factory=list)


def evaluate(
    session: Session,
    request: AuditRequest,
    policy: Policy,
    loaded: Loaded,
    keys: list[KeyBase],
    say: Progress,
) -> ResultDocument:
    """Run analytics, every rule and the waivers over ``keys``; return the result document."""
    as_of = ensure_utc(request.as_of)
    frameworks = select_frameworks(request.frameworks)
    analysis = logs = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="keyvigil-trace") as pool:
        tracing: Future[dict[EventWindow, TraceRecord]] | None = None
        if loaded.backend is not None and loaded.log_report is not None:
            say(f"analysing access logs against {len(keys)} keys")
            analysis = loaded.backend.analyse(keys, policy.detection_settings(), as_of)
            logs = inp.logs_section(loaded.log_report, analysis.daily, loaded.shown)
            say("tracing log findings to their events, beside the rules")
            tracing = pool.submit(hit_traces, loaded.backend, analysis.hits, loaded.shown)
        evaluation = evaluate_all(request, policy, loaded, keys, analysis, say)
        traces = tracing.result() if tracing is not None else {}
    loaded.release()
    waivers = list(session.exec(select(Waiver).order_by(col(Waiver.id))).all())
    say("building the result document")
    given = inp.inventory_inputs(loaded.inventories, keys)
    records = (given or inp.stored_inventory_inputs(session, keys)) + loaded.log_records
    records += loaded.scan_records
    parts = AuditParts(
        as_of=as_of,
        policy=policy,
        frameworks=frameworks,
        inputs=records,
        keys=keys,
        evaluation=evaluation,
        waived=apply_waivers(evaluation.findings, waivers, as_of),
        waivers=waivers,
        guardrails=guardrails(policy, [f.id for f in frameworks]),
        usage=usage_records(analysis.usage) if analysis else [],
        logs=logs,
        period_start=loaded.log_start,
        attested=control_attestations(session, as_of),
        responses=stored_responses(session),
        first_found=first_found(session),
        traces=traces,
        scan_roots=inp.shown_roots(loaded.scan.roots) if loaded.scan is not None else None,
    )
    return build_document(parts)


def evaluate_all(
    request: AuditRequest,
    policy: Policy,
    loaded: Loaded,
    keys: list[KeyBase],
    analysis: Analysis | None,
    say: Progress,
) -> Evaluation:
    """A scan of the request's folder (if any), then every rule over the keys, the log hits
    and the scan (the log engine traces the hits meanwhile, on its own threads)."""
    if request.scan is not None and request.scan.is_dir():
        say(f"scanning {request.scan} for secrets")
        loaded.scan, scanned = scan_for_audit(request.scan, keys, policy.config_file_mode)
        loaded.scan_records = [inp.scanned_input(scanned)]
    say("evaluating rules")
    as_of = ensure_utc(request.as_of)
    hits = analysis.hits if analysis else None
    events = (analysis.coverage.events or 0) if analysis else None
    judged = with_logged_use(keys, analysis.usage) if analysis else keys
    evaluation = evaluate_rules(RuleInputs(judged, policy, as_of, hits, loaded.scan, events))
    evaluation = gate(evaluation, loaded.scan)
    return replace(evaluation, findings=relative_findings(evaluation.findings, loaded.shown))


def usage_records(usage: Sequence[KeyUsage]) -> list[UsageRecord]:
    """Each key's logged activity as it appears in the document's ``usage`` list (100,000 keys:
    the times are formatted a column at a time)."""
    firsts = isoformats(u.first_seen for u in usage)
    lasts = isoformats(u.last_seen for u in usage)
    return [
        trusted(
            UsageRecord,
            {  # in UsageRecord's (alphabetical) field order
                "attributed_via": u.attributed_via,
                "countries": u.countries,
                "denied": u.denied,
                "events": u.events,
                "failures": u.auth_failures,
                "first_event": first,
                "key_id": u.key_id,
                "last_event": last,
                "provider": u.provider,
                "source_ips": u.source_ips,
                "successes": u.successes,
            },
            in_order=True,
        )
        for u, first, last in zip(usage, firsts, lasts, strict=True)
    ]


def trail_payload(
    run: AuditRun, doc: ResultDocument, outputs: Sequence[WrittenFile]
) -> dict[str, Any]:
    """The trail entry of a run: ids, digests and counts only."""
    return {
        "run_id": run.id,
        "as_of": doc.as_of,
        "inputs": [{"kind": i.kind, "name": i.name, "sha256": i.sha256} for i in doc.inputs],
        "policy_digest": doc.policy_digest,
        "frameworks": doc.frameworks_selected,
        "result_sha256": run.result_sha256,
        "findings": doc.summary.findings,
        "outputs": [{"name": f.path.name, "sha256": f.sha256} for f in outputs],
    }


NO_WRITERS: Mapping[str, OutputWriter] = MappingProxyType({})
"""No output formats: a run that only stores its result (``formats`` must then be empty)."""


def run_audit(
    store: Store,
    request: AuditRequest,
    actor: str,
    now: datetime,
    progress: Progress | None = None,
    *,
    writers: Writers = NO_WRITERS,
) -> AuditOutcome:
    """Carry out one audit and store it (one transaction: all of it, or on error none of it).

    ``writers`` are the output formats ``request.formats`` may name (the CLI passes the
    exporter registry, ``toolkit.reports.exporters.EXPORTERS``).

    Python's cycle collector sleeps meanwhile: a large audit builds millions of acyclic
    objects (records, findings, the document) that it would otherwise walk again and again.
    """
    with collector_paused():
        return _run_audit(store, request, actor, now, progress, writers)


def _run_audit(
    store: Store,
    request: AuditRequest,
    actor: str,
    now: datetime,
    progress: Progress | None,
    writers: Writers,
) -> AuditOutcome:
    """The audit itself (see ``run_audit``)."""
    say = progress or (lambda _message: None)
    check_formats(request.formats, writers)
    policy = load_policy(request.policy_path)
    select_frameworks(request.frameworks)  # unknown framework ids fail before any work
    if request.logs:
        say(f"loading access logs ({len(request.logs)} path(s))")
    with logs_loading(request) as pending, store.session() as session:
        with pending.before():  # beside the log load; an inventory error comes first
            parsed = parse_inventories(request)
        if parsed:
            say(f"importing {len(parsed)} inventory file(s)")
        with pending.first():  # beside the log load
            if parsed:
                apply_import(session, parsed, actor, now)
                session.flush()
            inventories = [p.summary for p in parsed]
            del parsed  # the parsed records go once stored: the keys are read back next
            keys = key_values(session)
        loaded = finish_inputs(request, inventories, pending)
        doc = evaluate(session, request, policy, loaded, keys, say)
        say("storing the run")
        body = doc.canonical()
        run = save_run(session, doc, body, run_id=new_run_id(doc_as_of(doc)), actor=actor, at=now)
        out_dir = request.out_dir or Path("keyvigil-out") / run.id
        say(f"writing {', '.join(request.formats)} to {out_dir}")
        written = write_outputs(session, run, doc, body, request.formats, out_dir, writers)
        append(
            session,
            actor=actor,
            action="audit.run",
            payload=trail_payload(run, doc, written),
            at=now,
        )
    return AuditOutcome(run, doc, body, [f.path for f in written])
