"""provider-reported-exposed: the provider itself found the key in public (GCP ``KEY_EXPOSED``)."""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.keyfacts import provider_status
from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier
from toolkit.rules.model import Rule, key_finding

RULE = Rule(
    id="provider-reported-exposed",
    title="Provider reports the key exposed in public",
    severity=Severity.CRITICAL,
    tier=Tier.IMMEDIATE,
    remediation="Treat the key as leaked: delete it at the provider, issue a replacement, and "
    "open the leakage runbook (`keyvigil incident open key-leakage --key KEY_ID`) to find where "
    "it was published and review its use during the exposure.",
    description="Keys (any state) whose provider status says the provider found the key in "
    "public: GCP disableReason SERVICE_ACCOUNT_KEY_DISABLE_REASON_EXPOSED or extendedStatus "
    "SERVICE_ACCOUNT_KEY_EXTENDED_STATUS_KEY_EXPOSED (camelCase or snake_case in the listing). "
    "A key Google already disabled still fails: the leak must be handled and recorded; the "
    "evidence says whether the key is active. Keys whose source reports no provider status "
    "pass (nothing is known against them).",
    needs=(Needs.INVENTORY,),
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """One finding per key the provider reports exposed."""
    for key in inputs.keys:
        status = provider_status(key.attributes)
        if status is None or not status.exposed:
            continue
        yield key_finding(
            RULE,
            key,
            f"provider found the key in public ({status.disable_reason or 'KEY_EXPOSED'}); "
            f"key {'still active' if key.active else 'disabled'}",
            disable_reason=status.disable_reason,
            extended_status=list(status.extended_status),
            active=key.active,
            runbook=f"keyvigil incident open key-leakage --key {key.key_id}",
        )
