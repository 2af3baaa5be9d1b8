"""Typed errors, one base per stage; each message names the place and never quotes a secret."""

from __future__ import annotations


class ToolkitError(Exception):
    """Base of every error keyvigil reports to a user as ``Error: ...`` with exit code 2."""


class IngestError(ToolkitError):
    """An input file (inventory, log, scan result) cannot be read as the format it claims."""

    def __init__(
        self,
        path: object,
        reason: str,
        *,
        line: int | None = None,
        record: int | None = None,
        field: str | None = None,
    ) -> None:
        place = str(path)
        if line is not None:
            place += f":{line}"
        elif record is not None:
            place += f": record {record}"
        if field:
            place += f": {field}"
        super().__init__(f"{place}: {reason}")
        self.path = path
        self.line = line
        self.record = record
        self.field = field
        self.reason = reason


class StoreError(ToolkitError):
    """The database cannot be opened, upgraded or written."""


class PolicyError(ToolkitError):
    """A policy file is invalid (unknown key, wrong type) or cannot be read."""


class FrameworkError(ToolkitError):
    """A framework mapping file is invalid."""


class RuleError(ToolkitError):
    """A rule's metadata or evaluation input is invalid."""


class WaiverError(ToolkitError):
    """A waiver request is incomplete or names something that does not exist."""


class ChecklistError(ToolkitError):
    """A checklist file, an answers file or an attestation is invalid."""


class AuditError(ToolkitError):
    """An audit run cannot be carried out, found or compared."""


class ReportError(ToolkitError):
    """A report cannot be rendered, written or verified."""


class UsageError(ToolkitError):
    """A command was given options that do not fit together."""


class KeysError(ToolkitError):
    """A key cannot be generated, created, replaced or revoked as asked."""


class PlaybookError(ToolkitError):
    """A playbook file is invalid; the message names the file and the YAML path."""


class IncidentError(ToolkitError):
    """An incident cannot be opened, run, reported or closed as asked."""


class ResponseError(ToolkitError):
    """A management response names an unknown finding or has a bad owner, date or status."""
