"""inventoried-key-exposed: an inventoried key's value found in a file or a log."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier
from toolkit.rules.model import Rule, key_finding

RULE = Rule(
    id="inventoried-key-exposed",
    title="Inventoried key's value found in a file or log",
    severity=Severity.CRITICAL,
    tier=Tier.IMMEDIATE,
    remediation="Treat the key as leaked: revoke it now, issue a replacement, and open an "
    "incident (`keyvigil incident open key-leakage --key KEY_ID`) to review its use during the "
    "exposure.",
    description="Inventory keys (any state) whose fingerprint equals the fingerprint of a secret a "
    "scan found, in code or in logs; one finding per key listing every place. Revoked keys still "
    "fail (the leak must be recorded) and the evidence says whether the key is active. Not "
    "evaluated without scan results.",
    needs=(Needs.SCAN, Needs.INVENTORY),
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """One finding per inventoried key whose value the scan found somewhere."""
    scan = inputs.scan_results()
    keys = inputs.keys
    places: dict[str, list[str]] = defaultdict(list)
    for item in scan.of_kind("secret"):
        if item.fingerprint:
            places[item.fingerprint].append(item.where)
    for key in keys:
        found = places.get(key.fingerprint or "")
        if found:
            yield key_finding(
                RULE,
                key,
                f"value found in {len(found)} place(s): {', '.join(found[:3])}",
                locations=found,
                active=key.active,
            )
