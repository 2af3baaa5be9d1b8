"""``trusted`` builds the same values ``model_construct`` does, for the models audits build."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from toolkit.audit.result import FindingRecord, KeyRecord, KeyRef, ResponseRecord
from toolkit.construct import trusted
from toolkit.models import KeyBase

AT = datetime(2026, 10, 1, tzinfo=UTC)
KEY = dict.fromkeys(KeyBase.model_fields) | {
    "key_id": "k-1",
    "provider": "house",
    "enabled": True,
    "revoked": False,
    "cardholder_data": False,
    "scopes": ["orders:read"],
    "created_at": AT,
    "entropy_bits": 256.0,
}
REF = {"key_id": "k-1", "name": "n", "owner": "o", "environment": "prod", "provider": "house",
       "fingerprint_prefix": "0123456789ab"}  # fmt: skip
RECORD = REF | {
    "key_type": None, "active": True, "created_at": "2026-10-01T00:00:00Z", "expires_at": None,
    "last_used_at": None, "last_rotated_at": None, "revoked_at": None, "age_days": 3,
    "rotation_limit_days": 90, "finding_count": 1, "cardholder_data": False,
}  # fmt: skip
FINDING = {
    "id": "abc", "rule_id": "unused", "severity": "medium", "tier": "weekly", "subject": "k-1",
    "message": "m", "provider": "house", "environment": "prod", "key": KeyRef(**REF),
    "evidence": {"days": 3, "hits": [{"at": "2026-09-01T00:00:00Z"}]}, "waiver": None,
    "trace": None,
    "response": ResponseRecord(
        due="2026-12-30", due_from="policy", first_found="2026-10-01", fixed_but_found=False,
        note=None, overdue=False, owner="o", owner_from="key", responded_at=None,
        responded_by=None, status="open",
    ),
}  # fmt: skip


@pytest.mark.parametrize(
    ("cls", "values"),
    [
        (KeyBase, KEY),
        (KeyRef, REF | {"source": None}),
        (KeyRecord, RECORD),
        (FindingRecord, FINDING),
    ],
    ids=["KeyBase", "KeyRef", "KeyRecord", "FindingRecord"],
)
def test_trusted_equals_model_construct(cls: type[BaseModel], values: dict[str, Any]) -> None:
    """Same fields, same fields-set, same dump, equal; and validating the dump agrees."""
    fast, slow = trusted(cls, dict(values)), cls.model_construct(**values)
    assert fast == slow
    assert fast.model_fields_set == slow.model_fields_set
    assert fast.model_dump() == slow.model_dump()
    assert fast.model_dump_json() == slow.model_dump_json()
    assert cls.model_validate(fast.model_dump()) == fast
    in_order = {name: values[name] for name in cls.model_fields}
    assert trusted(cls, in_order, in_order=True).model_dump_json() == slow.model_dump_json()


def test_trusted_values_stay_frozen_and_keep_their_properties() -> None:
    """A frozen record refuses changes; KeyBase's ``active`` still works."""
    record = trusted(KeyRecord, dict(RECORD))
    with pytest.raises(ValidationError):
        record.age_days = 4  # type: ignore[misc]
    assert trusted(KeyBase, dict(KEY)).active
    assert not trusted(KeyBase, dict(KEY) | {"revoked": True}).active


def test_shared_fields_set_stays_every_field() -> None:
    """Trusted instances share one fields-set: setting a field or copying leaves it whole."""
    first, second = trusted(KeyBase, dict(KEY)), trusted(KeyBase, dict(KEY))
    copied = first.model_copy(update={"name": "copy"})
    first.name = "renamed"  # KeyBase is not frozen: pydantic adds the name, already held
    assert second.name is None and copied.name == "copy"
    assert second.model_fields_set == set(KeyBase.model_fields) == copied.model_fields_set
    assert trusted(KeyRef, REF | {"source": None}).model_fields_set == set(KeyRef.model_fields)
