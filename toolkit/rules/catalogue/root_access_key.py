"""root-access-key: an active access key on the AWS account's root user."""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.rules.catalogue._identity import NOT_RECORDED, active_iam_key, iam_access_key, identity
from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier, Unjudged
from toolkit.rules.model import Rule, key_finding, key_unjudged

RULE = Rule(
    id="root-access-key",
    title="Active access key on the AWS root account",
    severity=Severity.CRITICAL,
    tier=Tier.IMMEDIATE,
    remediation="Delete the root user's access keys (IAM console, signed in as root: Security "
    "credentials > Access keys); move what used them to an IAM role or a scoped IAM user, and "
    "review CloudTrail for the key's use (CIS AWS: 'Ensure no root user account access key "
    "exists').",
    description="Active AWS access keys whose credential-report row is the account's root user "
    "(<root_account>, ARN ending ':root'). The root user cannot be limited by IAM policy, so its "
    "key holds every permission of the account. AWS access keys whose source carries no "
    "credential-report facts (list-access-keys alone) are not judged; other providers' keys are "
    "out of scope.",
    needs=(Needs.INVENTORY,),
    judges=active_iam_key,
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding | Unjudged]:
    """Yield a finding for each active root access key."""
    for key in inputs.active_keys:
        if not iam_access_key(key):
            continue
        facts = identity(key)
        if facts is None:
            yield key_unjudged(RULE, key, NOT_RECORDED)
        elif facts.is_root:
            yield key_finding(
                RULE,
                key,
                "active access key on the root account: every permission, no IAM limit",
                user=facts.user,
                mfa_active=facts.mfa_active,
            )
