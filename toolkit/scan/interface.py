"""The scanner's shared values: options, masked secrets, hits, observations, findings, the report.

Values are frozen and carry no secret: a secret is known only by its SHA-256 fingerprint, its
length and a preview of at most its first four characters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol

from toolkit.errors import ToolkitError

Location = Literal["code", "logs"]
Progress = Callable[[str], None]

PREVIEW_CHARS = 4
"""A masked preview shows at most this many leading characters of a secret."""
FINGERPRINT_PREFIX = 12
"""How many hex digits of a fingerprint are shown to people."""
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
"""Files larger than this are skipped (and reported as skipped)."""


class ScanError(ToolkitError):
    """A scan cannot start or an input of it (allowlist, root, git history) is unusable."""


@dataclass(frozen=True)
class MaskedSecret:
    """What the scanner keeps of a secret: fingerprint, length and a short preview."""

    fingerprint: str
    length: int
    preview: str

    @property
    def prefix(self) -> str:
        """The first hex digits of the fingerprint, for people."""
        return self.fingerprint[:FINGERPRINT_PREFIX]


@dataclass(frozen=True)
class KeyRef:
    """An inventoried key, as far as the scanner needs it: who answers for it, where it lives."""

    key_id: str
    provider: str
    owner: str | None
    environment: str | None


Inventory = Mapping[str, KeyRef]
"""Inventory fingerprints (SHA-256 hex) -> the key each belongs to; never a value."""


@dataclass(frozen=True)
class ScanOptions:
    """What to scan and how; every field has the command line's default.

    ``inventory`` maps fingerprints to keys (``inventory_given``: the caller supplied one, even
    if empty); ``config_mode`` is the policy's widest allowed mode; ``base`` names files
    relative to a folder instead of as the PATHs were given; ``workers`` None: every core.
    """

    git: bool = False
    since: str | None = None
    logs: bool = False
    no_ignore: bool = False
    home: Path | None = None
    inventory: Inventory = field(default_factory=dict)
    inventory_given: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    workers: int | None = None
    config_mode: str = "0600"
    base: Path | None = None
    progress: Progress | None = None


@dataclass(frozen=True)
class Hit:
    """A secret-shaped string found at one place (a detector match or an inventory match)."""

    file: str
    line: int
    column: int
    detector: str
    secret: MaskedSecret
    location: Location
    commit: str | None = None
    author_date: datetime | None = None
    at_head: bool | None = None


@dataclass(frozen=True)
class Skipped:
    """A file the scan did not read, and why (binary, too large, unreadable)."""

    file: str
    reason: str


@dataclass(frozen=True)
class EnvFile:
    """A ``.env``-style file: whether version control would pick it up and how many values."""

    file: str
    ignored: bool | None
    tracked: bool | None
    values: int | None
    template: bool


@dataclass(frozen=True)
class FileMode:
    """A credentials or configuration file and its permission bits (octal, e.g. ``0600``)."""

    file: str
    mode: str


@dataclass(frozen=True)
class Coverage:
    """What the scan actually read: the evidence behind any rule that holds."""

    files: int = 0
    log_files: int = 0
    commits: int = 0
    env_roots: int = 0
    config_files: int = 0
    inventory_fingerprints: int = 0
    inventory_given: bool = False


@dataclass(frozen=True)
class SourceResult:
    """What one detector source (working tree, git history) found and read."""

    hits: tuple[Hit, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    files: int = 0
    log_files: int = 0
    commits: int = 0
    notices: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckResult:
    """What one hygiene check observed."""

    env_files: tuple[EnvFile, ...] = ()
    file_modes: tuple[FileMode, ...] = ()
    env_roots: int = 0
    notices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Root:
    """One PATH given to the scan, with how to name files under it and its git work tree."""

    path: Path
    label: str
    repo: Path | None

    def name(self, file: Path) -> str:
        """The file's display path: the root's label joined with its path under the root."""
        if file == self.path:
            return self.label
        return f"{self.label}/{file.relative_to(self.path).as_posix()}"


class Source(Protocol):
    """A detector source: finds secret-shaped strings somewhere (files, history)."""

    name: str

    def wanted(self, options: ScanOptions) -> bool:
        """Whether this source runs for these options."""
        ...

    def collect(self, roots: tuple[Root, ...], options: ScanOptions) -> SourceResult:
        """Scan the roots and return masked hits."""
        ...


class Check(Protocol):
    """A hygiene check: looks at files' names, version-control status and permissions."""

    name: str

    def observe(self, roots: tuple[Root, ...], options: ScanOptions) -> CheckResult:
        """Observe the roots (and ``--home``) and return what was seen."""
        ...


@dataclass(frozen=True)
class ScanFinding:
    """One problem, judged by a catalogue rule; masked, never the value."""

    rule: str
    severity: str
    file: str
    message: str
    line: int | None = None
    column: int | None = None
    detector: str | None = None
    secret: MaskedSecret | None = None
    key: KeyRef | None = None
    location: Location | None = None
    commit: str | None = None
    author_date: datetime | None = None
    at_head: bool | None = None


@dataclass(frozen=True)
class Allowed:
    """A finding the ``.keyvigil-ignore`` allowlist accepts, with its reason and owner."""

    finding: ScanFinding
    reason: str
    owner: str
    entry: str


@dataclass(frozen=True)
class ScanReport:
    """The outcome of one scan: findings (masked), what was allowed, skipped and read."""

    roots: tuple[str, ...]
    findings: tuple[ScanFinding, ...]
    allowed: tuple[Allowed, ...]
    skipped: tuple[Skipped, ...]
    hits: tuple[Hit, ...]
    env_files: tuple[EnvFile, ...]
    file_modes: tuple[FileMode, ...]
    coverage: Coverage
    notices: tuple[str, ...] = ()
