"""Typed views of the provider facts a reader keeps in a key's ``attributes``, for rules to read.

Readers store these facts as plain JSON under the names below; rules never index the dict
themselves but call ``provider_status(key)`` or ``account_identity(key)`` and get a frozen value,
or None when the source did not carry the facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from toolkit.timeutil import isoformat, parse_timestamp

STATUS = "provider_status"
"""``attributes`` entry: ``{"disable_reason": str | None, "extended_status": [str, ...]}``."""
IDENTITY = "account_identity"
"""``attributes`` entry of credential-report keys: the user row's root, password and MFA facts."""

LAST_USE = "last_use_recorded"
"""``attributes`` entry: False when the key's source has no last-use time (GCP and Azure
listings), so an empty ``last_used_at`` means "unknown", not "never used"."""

EXPOSED_REASONS = frozenset({"SERVICE_ACCOUNT_KEY_DISABLE_REASON_EXPOSED"})
EXPOSED_STATUSES = frozenset({"SERVICE_ACCOUNT_KEY_EXTENDED_STATUS_KEY_EXPOSED"})
COMPROMISE = frozenset(
    {
        "SERVICE_ACCOUNT_KEY_DISABLE_REASON_COMPROMISE_DETECTED",
        "SERVICE_ACCOUNT_KEY_EXTENDED_STATUS_COMPROMISE_DETECTED",
    }
)
ROOT_USER = "<root_account>"
"""The credential report's name for the account's root identity."""


@dataclass(frozen=True)
class ProviderStatus:
    """What the provider itself says about a key: GCP ``disableReason`` and ``extendedStatus``."""

    disable_reason: str | None
    extended_status: tuple[str, ...]

    @property
    def exposed(self) -> bool:
        """True when the provider found the key in public (GCP ``KEY_EXPOSED``)."""
        return self.disable_reason in EXPOSED_REASONS or bool(
            EXPOSED_STATUSES & set(self.extended_status)
        )

    @property
    def compromise_detected(self) -> bool:
        """True when the provider detected a compromise of the key."""
        return bool(COMPROMISE & {self.disable_reason, *self.extended_status})

    def to_attributes(self) -> dict[str, Any]:
        """The plain-JSON form stored under ``attributes["provider_status"]``."""
        return {
            "disable_reason": self.disable_reason,
            "extended_status": list(self.extended_status),
        }


@dataclass(frozen=True)
class AccountIdentity:
    """The credential report's user-level facts behind an access key.

    ``None`` in a boolean or time field means the report says nothing usable (``N/A``,
    ``not_supported``, ``no_information``); ``password_never_used`` is True only when the report
    shows a console password that has no recorded use.
    """

    user: str
    is_root: bool
    mfa_active: bool | None
    password_enabled: bool | None
    password_last_used: datetime | None
    password_never_used: bool

    def to_attributes(self) -> dict[str, Any]:
        """The plain-JSON form stored under ``attributes["account_identity"]``."""
        return {
            "user": self.user,
            "is_root": self.is_root,
            "mfa_active": self.mfa_active,
            "password_enabled": self.password_enabled,
            "password_last_used": isoformat(self.password_last_used),
            "password_never_used": self.password_never_used,
        }


def provider_status(attributes: dict[str, Any] | None) -> ProviderStatus | None:
    """The key's provider status, or None when its source reports none."""
    raw = (attributes or {}).get(STATUS)
    if not isinstance(raw, dict):
        return None
    reason = raw.get("disable_reason")
    statuses = raw.get("extended_status") or []
    return ProviderStatus(
        reason if isinstance(reason, str) else None,
        tuple(s for s in statuses if isinstance(s, str)),
    )


def account_identity(attributes: dict[str, Any] | None) -> AccountIdentity | None:
    """The key's credential-report identity facts, or None when its source has none."""
    raw = (attributes or {}).get(IDENTITY)
    if not isinstance(raw, dict) or not isinstance(raw.get("user"), str):
        return None
    used = raw.get("password_last_used")
    return AccountIdentity(
        user=raw["user"],
        is_root=raw.get("is_root") is True,
        mfa_active=_flag(raw.get("mfa_active")),
        password_enabled=_flag(raw.get("password_enabled")),
        password_last_used=parse_timestamp(used) if isinstance(used, str) else None,
        password_never_used=raw.get("password_never_used") is True,
    )


def last_use_recorded(attributes: dict[str, Any] | None) -> bool:
    """False when the key's source records no last use (its empty ``last_used_at`` is unknown)."""
    return (attributes or {}).get(LAST_USE) is not False


def _flag(value: Any) -> bool | None:
    """A stored yes/no fact: a boolean, or None for anything else (unknown)."""
    return value if isinstance(value, bool) else None
