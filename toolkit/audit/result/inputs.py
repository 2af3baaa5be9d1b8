"""Input files, source locations and keys: what the audit read and judged."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from toolkit.audit.result.base import Record, Timestamp

ExtractedBasis = Literal["stated in the file", "file modification time", "import time"]
"""Where an inventory's extraction time comes from."""


class InputFile(Record):
    """One input file with its SHA-256 (``skipped`` only for logs)."""

    extracted_at: Timestamp | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="inventories only (absent otherwise): when the inventory was extracted",
    )
    extracted_basis: ExtractedBasis | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="where extracted_at comes from: the file's own statement, else the file's "
        "modification time, else (file not at hand) when it was imported",
    )
    kind: Literal["inventory", "logs", "scan"]
    name: str = Field(description="file name")
    path: str = Field(
        description="path relative to the input given: a file's name, or its path below the "
        "folder (or glob) it was found in, starting with that folder's name"
    )
    reader: str = Field(description="reader or log format that read it")
    records: int = Field(description="rows, records or events read")
    sha256: str
    skipped: int | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="logs only (absent otherwise): bad records skipped",
    )


class SourceLocation(Record):
    """Where a record was read: its file (relative to the input given) and line or record."""

    line: int | None = Field(description="line number in a line-oriented file (CSV, JSON Lines)")
    path: str = Field(description="the file, relative to the file or folder given")
    record: int | None = Field(
        description="record number in a file without lines: a JSON document (an inventory's "
        "keys, CloudTrail Records) or a Parquet log (its row, from 1)"
    )


class KeyRef(Record):
    """The key fields a finding carries (never a secret value)."""

    environment: str | None
    fingerprint_prefix: str | None = Field(description="first 12 hex digits of the SHA-256")
    key_id: str = Field(description="the provider's identifier")
    name: str | None
    owner: str | None = Field(description="person or team answerable for the key")
    provider: str
    source: SourceLocation | None = Field(
        default=None, description="the inventory file and row it was read from (null: none)"
    )


class KeyRecord(Record):
    """A key in scope with its dates, age since rotation and number of findings.

    ``KeyRef``'s fields and its own, in one alphabetical list (not a subclass: pydantic puts a
    parent's fields first, and the serialised order must be the sorted one).
    """

    active: bool = Field(description="enabled and not revoked")
    age_days: int | None = Field(description="days since last rotation (else creation)")
    cardholder_data: bool = Field(
        description="protects stored account data (PCI DSS 3.6/3.7 scope): the inventory marks "
        "it so, or the policy marks its environment"
    )
    created_at: Timestamp | None
    environment: str | None
    expires_at: Timestamp | None
    finding_count: int
    fingerprint_prefix: str | None = Field(description="first 12 hex digits of the SHA-256")
    key_id: str = Field(description="the provider's identifier")
    key_type: str | None = Field(description="provider's kind of key")
    last_rotated_at: Timestamp | None
    last_used_at: Timestamp | None
    name: str | None
    owner: str | None = Field(description="person or team answerable for the key")
    provider: str
    revoked_at: Timestamp | None
    rotation_limit_days: int = Field(description="the environment's rotation period")
