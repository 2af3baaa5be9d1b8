"""broad-scope: an active key with wildcard/admin scopes, or with an empty scope list."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier, Unjudged
from toolkit.rules.model import Rule, is_active, key_finding, key_unjudged

RULE = Rule(
    id="broad-scope",
    title="Key has wildcard or admin scopes, or an empty scope list",
    severity=Severity.MEDIUM,
    tier=Tier.WEEKLY,
    remediation="Replace the key with one scoped to exactly the permissions its purpose needs "
    "(the organisation's policy: 'Grant minimum necessary access; use scoped API keys').",
    description="Active keys whose recorded scope list is empty (a key without scopes grants "
    "whatever its identity can do), or where a scope - or one of its parts split at ':', '/', "
    "'.' - equals one of broad_scope_patterns, compared case-insensitively (so '*', 's3:*', "
    "'repo:admin' and 'ALL' are broad; 'read:keys' is not). Keys whose source records no "
    "scopes at all (cloud listings: AWS, GCP, Azure) are not judged: 'scopes not recorded by "
    "this source'.",
    needs=(Needs.INVENTORY,),
    judges=is_active,
    thresholds=("broad_scope_patterns",),
)

_PARTS = re.compile(r"[:/.]")


def broad_scopes(scopes: Sequence[str], wanted: set[str]) -> list[str]:
    """The scopes that equal a broad pattern (``wanted``, lower case), whole or in one part."""
    found = []
    for scope in scopes:
        text = scope.strip().lower()
        if text in wanted or any(part in wanted for part in _PARTS.split(text)):
            found.append(scope)
    return found


def evaluate(inputs: RuleInputs) -> Iterator[Finding | Unjudged]:
    """Yield a finding for each active key with an empty scope list or a broad scope."""
    patterns = {p.lower() for p in inputs.policy.broad_scope_patterns}
    judged: dict[tuple[str, ...], tuple[list[str], list[str]]] = {}  # keys share scope lists
    for key in inputs.active_keys:
        if key.scopes is None:
            yield key_unjudged(RULE, key, "scopes not recorded by this source")
            continue
        given = tuple(key.scopes)
        if (found := judged.get(given)) is None:
            kept = [s for s in given if s.strip()]
            found = judged[given] = (kept, broad_scopes(kept, patterns))
        scopes, broad = found
        if not scopes:
            yield key_finding(RULE, key, "no scopes (empty scope list)", scopes=[])
            continue
        if broad:
            yield key_finding(
                RULE, key, f"broad scopes: {', '.join(broad)}", broad_scopes=broad, scopes=scopes
            )
