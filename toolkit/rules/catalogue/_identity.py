"""Shared logic of the AWS identity rules: which keys are IAM access keys, and their user facts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.keyfacts import AccountIdentity, account_identity

if TYPE_CHECKING:
    from toolkit.models import KeyBase

NOT_RECORDED = "account identity not recorded by this source (import the IAM credential report)"
"""Why an AWS access key known only from a listing cannot be judged by the identity rules."""


def iam_access_key(key: KeyBase) -> bool:
    """True for AWS IAM access keys (the credential report's and list-access-keys' keys)."""
    return key.key_type == "access_key" or (key.provider or "").lower() == "aws"


def active_iam_key(key: KeyBase) -> bool:
    """The population of the credential-report rules: active AWS IAM access keys."""
    return key.active and iam_access_key(key)


def identity(key: KeyBase) -> AccountIdentity | None:
    """The credential report's facts about the key's user, or None when its source has none."""
    return account_identity(key.attributes)
