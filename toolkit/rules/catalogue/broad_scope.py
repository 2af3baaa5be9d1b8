"""broad-scope: an active key with wildcard/admin scopes, or with no scopes at all."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from toolkit.rules.interface import Finding, Needs, Severity, Tier
from toolkit.rules.model import Rule, active_keys, key_finding
from toolkit.rules.policy import Policy

if TYPE_CHECKING:
    from toolkit.models import KeyBase

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


def evaluate(keys: Sequence[KeyBase], policy: Policy, as_of: datetime) -> Iterator[Finding]:
    """Yield a finding for each active key that is unscoped or holds a broad scope."""
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
