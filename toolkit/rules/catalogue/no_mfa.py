"""no-mfa: an AWS access key whose user signs in without MFA (root, or a console password)."""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.keyfacts import AccountIdentity
from toolkit.rules.catalogue._identity import NOT_RECORDED, active_iam_key, iam_access_key, identity
from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier, Unjudged
from toolkit.rules.model import Rule, key_finding, key_unjudged

RULE = Rule(
    id="no-mfa",
    title="Key's user can sign in without MFA",
    severity=Severity.HIGH,
    tier=Tier.WEEKLY,
    remediation="Turn on MFA for the user (root: a hardware or virtual MFA device); remove "
    "console passwords that are never used, so the key's user has one way in, not two.",
    description="Active AWS access keys whose credential-report user has no MFA (mfa_active "
    "false) and is the root user or has a console password (password_enabled true); the "
    "evidence also says when that password was never used (an unused way in to remove). Users "
    "without a console password need no MFA for their keys and pass; a report that says "
    "nothing usable about MFA (N/A) is not judged, nor are AWS keys without credential-report "
    "facts. Other providers' keys are out of scope.",
    needs=(Needs.INVENTORY,),
    judges=active_iam_key,
)

MFA_UNKNOWN = "MFA state not recorded by this source"


def _problem(facts: AccountIdentity) -> str | None:
    """What is wrong with the user's sign-in, or None when it is not an MFA gap."""
    if facts.is_root:
        return "root account without MFA"
    if facts.password_enabled:
        unused = "; the password was never used" if facts.password_never_used else ""
        return f"user {facts.user} has a console password without MFA{unused}"
    return None


def evaluate(inputs: RuleInputs) -> Iterator[Finding | Unjudged]:
    """Yield a finding for each active access key whose user can sign in without MFA."""
    for key in inputs.active_keys:
        if not iam_access_key(key):
            continue
        facts = identity(key)
        if facts is None:
            yield key_unjudged(RULE, key, NOT_RECORDED)
            continue
        problem = _problem(facts)
        if problem is None or facts.mfa_active is True:
            continue
        if facts.mfa_active is None:
            yield key_unjudged(RULE, key, MFA_UNKNOWN)
            continue
        yield key_finding(
            RULE,
            key,
            problem,
            user=facts.user,
            root=facts.is_root,
            password_enabled=facts.password_enabled,
            password_last_used=facts.password_last_used,
            password_never_used=facts.password_never_used,
        )
