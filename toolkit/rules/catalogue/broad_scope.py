"""broad-scope: an active key with wildcard/admin scopes, or with no scopes at all."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier
from toolkit.rules.model import Rule, active_keys, key_finding

RULE = Rule(
    id="broad-scope",
    title="Key has wildcard or admin scopes, or no scopes at all",
    severity=Severity.MEDIUM,
    tier=Tier.WEEKLY,
    remediation="Replace the key with one scoped to exactly the permissions its purpose needs "
    "(seed: 'Grant minimum necessary access; use scoped API keys').",
    description="Active keys whose scopes are missing or empty (a key without scopes grants "
    "whatever its identity can do), or where a scope - or one of its parts split at ':', '/', "
    "'.' - equals one of broad_scope_patterns, compared case-insensitively (so '*', 's3:*', "
    "'repo:admin' and 'ALL' are broad; 'read:keys' is not).",
    needs=(Needs.INVENTORY,),
    thresholds=("broad_scope_patterns",),
)

_PARTS = re.compile(r"[:/.]")


def broad_scopes(scopes: Sequence[str], patterns: Sequence[str]) -> list[str]:
    """The scopes that equal a broad pattern, whole or in one of their parts."""
    wanted = {p.lower() for p in patterns}
    found = []
    for scope in scopes:
        text = scope.strip().lower()
        if text in wanted or any(part in wanted for part in _PARTS.split(text)):
            found.append(scope)
    return found


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Yield a finding for each active key that is unscoped or holds a broad scope."""
    keys = inputs.keys
    policy = inputs.policy
    for key in active_keys(keys):
        scopes = [s for s in (key.scopes or []) if s.strip()]
        if not scopes:
            note = "scopes not recorded" if key.scopes is None else "empty scope list"
            yield key_finding(RULE, key, f"no scopes ({note})", scopes=[])
            continue
        broad = broad_scopes(scopes, policy.broad_scope_patterns)
        if broad:
            yield key_finding(
                RULE, key, f"broad scopes: {', '.join(broad)}", broad_scopes=broad, scopes=scopes
            )
