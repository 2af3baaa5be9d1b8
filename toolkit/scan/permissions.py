"""Hygiene check: credentials and configuration files readable beyond their owner.

Under each PATH: files named like credentials or private keys. Under ``--home``: the seed's
``~/.config/failsafe-qore/`` and the usual per-user credential files of cloud and tool CLIs.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from toolkit.scan.files import SKIP_FOLDERS
from toolkit.scan.interface import CheckResult, FileMode, Root, ScanOptions

CREDENTIAL_NAMES = (
    "credentials",
    "credentials.*",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "*.jks",
    "*.keystore",
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    ".netrc",
    ".pgpass",
    ".git-credentials",
    "*-credentials.json",
    "service-account*.json",
)
"""File names (globs) that hold credentials wherever they are."""
HOME_FOLDERS = (".config/failsafe-qore",)
"""Folders under ``--home`` whose every file is local configuration (the seed: mode 0600)."""
HOME_FILES = (
    ".aws/credentials",
    ".aws/config",
    ".netrc",
    ".pgpass",
    ".git-credentials",
    ".docker/config.json",
    ".kube/config",
    ".config/gcloud/application_default_credentials.json",
    ".azure/msal_token_cache.json",
    ".ssh/id_rsa",
    ".ssh/id_ecdsa",
    ".ssh/id_ed25519",
)
"""Per-user credential files looked at under ``--home``."""


def is_credential_name(name: str) -> bool:
    """Whether a file name says it holds credentials."""
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in CREDENTIAL_NAMES)


def mode_of(path: Path) -> str | None:
    """The permission bits as four octal digits; None for links, odd or missing files."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return f"{stat.S_IMODE(info.st_mode):04o}" if stat.S_ISREG(info.st_mode) else None


def _credential_files(root: Root) -> Iterator[Path]:
    """Credential-named files under one root, ignored ones included."""
    if not root.path.is_dir():
        if is_credential_name(root.path.name):
            yield root.path
        return
    for dirpath, dirnames, filenames in os.walk(root.path):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_FOLDERS)
        yield from (Path(dirpath, f) for f in sorted(filenames) if is_credential_name(f))


def _home_files(home: Path) -> Iterator[Path]:
    """The seed's config folder and the usual credential files under a home folder."""
    for folder in HOME_FOLDERS:
        for dirpath, _dirnames, filenames in os.walk(home / folder):
            yield from (Path(dirpath, f) for f in sorted(filenames))
    yield from (home / name for name in HOME_FILES if (home / name).exists())


def _modes(files: Iterator[tuple[Path, str]]) -> list[FileMode]:
    """(path, display name) -> FileMode for the regular files among them."""
    out = []
    for path, name in files:
        mode = mode_of(path)
        if mode is not None:
            out.append(FileMode(file=name, mode=mode))
    return out


def display_home(home: Path, base: Path | None) -> str:
    """How the home folder is named: relative to ``base`` when under it, else as given."""
    if base is not None and home.resolve().is_relative_to(base.resolve()):
        return home.resolve().relative_to(base.resolve()).as_posix()
    return str(home)


class Permissions:
    """Credentials and config files whose mode lets others than the owner read them."""

    name = "permissions"

    def observe(self, roots: tuple[Root, ...], options: ScanOptions) -> CheckResult:
        """The mode of every credentials/config file under the roots and ``--home``."""
        found = [(p, r.name(p)) for r in roots for p in _credential_files(r)]
        if options.home is not None:
            home = options.home
            shown = display_home(home, options.base)
            found += [(p, f"{shown}/{p.relative_to(home).as_posix()}") for p in _home_files(home)]
        return CheckResult(file_modes=tuple(_modes(iter(found))))


CHECK = Permissions()
