"""The scan-results JSON (schema ``keyvigil.scan-results/1``) of a scan: no secret values."""

from __future__ import annotations

import json as _json

from toolkit import __version__
from toolkit.scan.engine import engine_version
from toolkit.scan.interface import EnvFile, FileMode, Hit, ScanReport
from toolkit.scan.outputs.interface import Output
from toolkit.scan.results import ScanItem, Scanned, ScanResults
from toolkit.timeutil import isoformat


def secret_item(hit: Hit, key_id: str | None) -> ScanItem:
    """A secret hit as a scan item: fingerprint, place, length and masked preview."""
    return ScanItem(
        kind="secret",
        file=hit.file,
        line=hit.line,
        column=hit.column,
        location=hit.location,
        fingerprint=hit.secret.fingerprint,
        detector=hit.detector,
        length=hit.secret.length,
        preview=hit.secret.preview,
        commit=hit.commit,
        introduced=isoformat(hit.author_date) if hit.author_date else None,
        at_head=hit.at_head,
        key_id=key_id,
    )


def env_item(env: EnvFile) -> ScanItem:
    """An env file as a scan item."""
    return ScanItem(
        kind="env-file",
        file=env.file,
        ignored=env.ignored,
        values=env.values,
        tracked=env.tracked,
        template=env.template,
    )


def mode_item(seen: FileMode) -> ScanItem:
    """A credentials/config file's mode as a scan item."""
    return ScanItem(kind="permissions", file=seen.file, mode=seen.mode)


def results(report: ScanReport) -> ScanResults:
    """The scan-results document of a report; allowlisted places are left out."""
    allowed = {(a.finding.file, a.finding.line, a.finding.rule) for a in report.allowed}
    keys = {f.secret.fingerprint: f.key.key_id for f in report.findings if f.secret and f.key}
    secret_rules = ("secret-in-code", "secret-in-logs", "inventoried-key-exposed")
    items = [
        secret_item(h, keys.get(h.secret.fingerprint))
        for h in report.hits
        if not any((h.file, h.line, r) in allowed for r in secret_rules)
    ]
    items += [
        env_item(e)
        for e in report.env_files
        if (e.file, None, "env-file-not-ignored") not in allowed
    ]
    items += [
        mode_item(m)
        for m in report.file_modes
        if (m.file, None, "config-permissions") not in allowed
    ]
    c = report.coverage
    scanned = Scanned(
        files=c.files,
        log_files=c.log_files,
        commits=c.commits,
        env_roots=c.env_roots,
        config_files=c.config_files,
        inventory_fingerprints=c.inventory_fingerprints,
        skipped=len(report.skipped),
    )
    tool = f"keyvigil {__version__} (betterleaks {engine_version()})"
    return ScanResults(roots=report.roots, findings=tuple(items), scanned=scanned, tool=tool)


def render(report: ScanReport) -> bytes:
    """The document as indented JSON."""
    data = results(report).model_dump(mode="json", by_alias=True, exclude_none=True)
    for item in data["findings"]:
        if item["kind"] != "secret":
            del item["location"]  # only secrets have one
    return (_json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


OUTPUT = Output(
    name="json",
    suffix=".json",
    render=render,
    description="scan results (keyvigil.scan-results/1), input of audit run --scan",
)
