"""Field lists of the data keyvigil keeps, declared once; ``store.tables`` adds storage to them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from toolkit.sqltypes import UTCDateTime


def _when(**kwargs: Any) -> Any:
    """A nullable aware-UTC timestamp field."""
    return Field(default=None, sa_type=UTCDateTime, **kwargs)


class KeyBase(SQLModel):
    """One credential in an inventory: the seed's ApiKey plus what audits need. Never its value."""

    key_id: str = Field(index=True, description="the provider's identifier, unique per provider")
    provider: str = Field(default="house", description="aws, gcp, azure, house or the user's name")
    name: str | None = Field(default=None, description="human-readable identifier")
    owner: str | None = Field(default=None, description="person or team answerable for the key")
    purpose: str | None = Field(default=None, description="what the key is for")
    environment: str | None = Field(default=None, index=True, description="dev, staging, prod...")
    principal: str | None = Field(default=None, description="identity the key acts as (ARN, email)")
    account: str | None = Field(default=None, description="cloud account, project or vault")
    key_type: str | None = Field(default=None, description="provider's kind: USER_MANAGED, secret")
    scopes: list[str] | None = Field(default=None, sa_type=JSON, description="permissions granted")
    cardholder_data: bool = Field(
        default=False, description="protects stored account data (PCI DSS 3.6/3.7 scope)"
    )
    enabled: bool = Field(default=True, description="provider reports the key usable")
    revoked: bool = Field(default=False, description="the key has been revoked")
    created_at: datetime | None = _when(description="when the key was created")
    expires_at: datetime | None = _when(description="when the key expires; None: never")
    last_used_at: datetime | None = _when(description="last use as reported by the inventory")
    last_rotated_at: datetime | None = _when(description="last rotation of the key material")
    revoked_at: datetime | None = _when(description="when the key was revoked")
    revoked_reason: str | None = Field(default=None, description="why the key was revoked")
    replaces: str | None = Field(default=None, description="key_id of the key this one rotated out")
    fingerprint: str | None = Field(default=None, index=True, description="SHA-256 of the value")
    entropy_bits: float | None = Field(default=None, description="estimated entropy of the value")
    source_sha256: str | None = Field(default=None, description="SHA-256 of the file it came from")
    source_ref: str | None = Field(default=None, description="file name and row/record")
    attributes: dict[str, Any] | None = Field(
        default=None, sa_type=JSON, description="provider-specific facts kept for evidence"
    )

    @property
    def active(self) -> bool:
        """True when the key can still authenticate: enabled and not revoked."""
        return self.enabled and not self.revoked and self.revoked_at is None
