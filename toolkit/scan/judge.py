"""Turn what the sources and checks saw into findings of the catalogue's five scan rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from toolkit.rules import catalogue  # the module, not RULES: the catalogue reads scan.results
from toolkit.rules.interface import Severity
from toolkit.scan.interface import EnvFile, FileMode, Hit, Inventory, ScanFinding

EXPOSED = "inventoried-key-exposed"
IN_CODE = "secret-in-code"
IN_LOGS = "secret-in-logs"
ENV_FILE = "env-file-not-ignored"
PERMISSIONS = "config-permissions"
SCAN_RULES = (EXPOSED, IN_CODE, IN_LOGS, ENV_FILE, PERMISSIONS)


def severity(rule_id: str) -> str:
    """The rule's severity, from the catalogue."""
    return str(catalogue.RULES[rule_id].RULE.severity)


def merge_hits(tree: Iterable[Hit], history: Iterable[Hit]) -> list[Hit]:
    """Working-tree hits enriched with the commit that introduced them; history-only hits kept."""
    introduced = {(h.file, h.secret.fingerprint): h for h in history}
    out = []
    for hit in tree:
        past = introduced.pop((hit.file, hit.secret.fingerprint), None)
        if past is not None:
            hit = replace(hit, commit=past.commit, author_date=past.author_date, at_head=True)
        out.append(hit)
    return out + list(introduced.values())


def _where(hit: Hit) -> str:
    """``file:line`` and, for history, the commit that introduced it."""
    text = f"{hit.file}:{hit.line}"
    if hit.commit:
        text += f" (added in {hit.commit[:12]}" + ("" if hit.at_head else ", gone at HEAD") + ")"
    return text


def secret_finding(hit: Hit, inventory: Inventory) -> ScanFinding:
    """One hit as a finding: an inventoried key exposed, else a secret in code or logs."""
    key = inventory.get(hit.secret.fingerprint)
    if key is not None:
        rule = EXPOSED
        owner = f"owner {key.owner or 'unknown'}, environment {key.environment or 'unknown'}"
        message = (
            f"inventoried key {key.key_id} ({owner}) exposed at {_where(hit)}; "
            f"open the runbook: keyvigil incident open key-leakage --key {key.key_id}"
        )
    else:
        rule = IN_LOGS if hit.location == "logs" else IN_CODE
        noun = "logs" if hit.location == "logs" else "code"
        message = f"secret-shaped string ({hit.detector}) in {noun} at {_where(hit)}"
    return ScanFinding(
        rule=rule,
        severity=severity(rule),
        file=hit.file,
        message=message,
        line=hit.line,
        column=hit.column,
        detector=hit.detector,
        secret=hit.secret,
        key=key,
        location=hit.location,
        commit=hit.commit,
        author_date=hit.author_date,
        at_head=hit.at_head,
    )


def env_finding(env: EnvFile) -> ScanFinding | None:
    """A finding for an env file with values that version control would pick up."""
    if env.ignored is not False or env.values == 0:
        return None
    if env.template:
        what = f"template holds {env.values} real-looking secret value(s) instead of placeholders"
    else:
        state = "is tracked by git" if env.tracked else "is not covered by .gitignore"
        values = "values" if env.values is None else f"{env.values} value(s)"
        what = f"env file with {values} {state}"
    return ScanFinding(rule=ENV_FILE, severity=severity(ENV_FILE), file=env.file, message=what)


def mode_finding(seen: FileMode, allowed_mode: str) -> ScanFinding | None:
    """A finding for a file whose mode grants bits beyond ``allowed_mode`` (policy, 0600)."""
    extra = int(seen.mode, 8) & 0o777 & ~int(allowed_mode, 8)
    if not extra:
        return None
    message = f"mode {seen.mode} grants more than {allowed_mode} (extra bits {extra:04o})"
    return ScanFinding(
        rule=PERMISSIONS, severity=severity(PERMISSIONS), file=seen.file, message=message
    )


def order(findings: Iterable[ScanFinding]) -> list[ScanFinding]:
    """Most severe first, then file, line, rule."""
    return sorted(findings, key=lambda f: (Severity(f.severity).rank, f.file, f.line or 0, f.rule))
