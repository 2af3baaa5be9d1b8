"""Where DuckDB writes what does not fit in memory: a private folder made for each backend.

DuckDB's own default for an in-memory database is ``.tmp`` in the current directory: a log
larger than the memory limit then fails to load where that directory is not writable (the
error blamed the log file: 'Failed to create directory ".tmp"') and drops spill files into
whatever checkout the command runs in. The folder made here is private to the user (mode 0700,
as ``mkdtemp`` makes it: spilled rows hold key ids and addresses) and is removed when the
backend closes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import platformdirs

from toolkit.errors import UsageError

ENV_SPILL_DIR = "KEYVIGIL_SPILL_DIR"
PREFIX = "keyvigil-spill-"


def parents() -> list[Path]:
    """Where a spill folder may go, in order: the user's cache folder (on disk, where the
    system's temporary folder may be memory, as a tmpfs ``/tmp`` is), then that folder."""
    return [
        Path(platformdirs.user_cache_dir("keyvigil", appauthor=False)),
        Path(tempfile.gettempdir()),
    ]


def make_spill_folder() -> Path:
    """A new, empty, private folder for one backend's spill files.

    ``KEYVIGIL_SPILL_DIR`` names the folder to make it in (say, a large disk for logs far
    larger than memory; made if missing); a folder there that cannot be made is an error
    naming it. Otherwise the first of ``parents()`` where one can be made.
    """
    given = os.environ.get(ENV_SPILL_DIR)
    if given:
        try:
            Path(given).mkdir(parents=True, exist_ok=True)
            return Path(tempfile.mkdtemp(prefix=PREFIX, dir=given))
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            message = f"{ENV_SPILL_DIR}={given}: cannot make a folder there ({reason})"
            raise UsageError(message) from None
    failures = []
    for parent in parents():
        try:
            parent.mkdir(parents=True, exist_ok=True)
            return Path(tempfile.mkdtemp(prefix=PREFIX, dir=parent))
        except OSError as exc:
            failures.append(f"{parent} ({exc.strerror or type(exc).__name__})")
    raise UsageError(
        f"no folder for the log engine's spill files: {'; '.join(failures)}; "
        f"set {ENV_SPILL_DIR} to a writable folder"
    )


def remove_spill_folder(folder: Path) -> None:
    """Remove a spill folder and whatever the engine left in it."""
    shutil.rmtree(folder, ignore_errors=True)
