"""New key values: 256 bits from ``secrets``, handed out once and never kept.

The value lives only in a :class:`NewSecret`; what keyvigil records is its SHA-256
fingerprint and entropy. It is delivered either on a terminal (once) or into a new file
created with mode 0600 that must not exist yet.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from toolkit.errors import KeysError
from toolkit.fingerprint import secret_facts

KEY_BYTES = 32
"""256 bits: the seed's "Minimum 256 bits of entropy"."""

TokenSource = Callable[[int], str]
"""Returns a URL-safe text holding that many random bytes (``secrets.token_urlsafe``)."""


@dataclass(frozen=True)
class NewSecret:
    """A freshly generated key value with its fingerprint; ``repr`` never shows the value."""

    value: str = field(repr=False)
    fingerprint: str
    entropy_bits: float

    def __str__(self) -> str:
        """A safe description: the fingerprint only."""
        return f"<secret sha256:{self.fingerprint[:12]}>"


def generate_secret(token: TokenSource | None = None) -> NewSecret:
    """A new 256-bit key value (43 URL-safe characters) and its SHA-256 fingerprint.

    ``token`` defaults to ``secrets.token_urlsafe`` (looked up at call time).
    """
    value = (token or secrets.token_urlsafe)(KEY_BYTES)
    digest, bits = secret_facts(value)
    if bits < KEY_BYTES * 8:
        raise KeysError(f"generated value has only {bits} bits of entropy (need {KEY_BYTES * 8})")
    return NewSecret(value=value, fingerprint=digest, entropy_bits=bits)


def write_secret_file(secret: NewSecret, path: Path) -> Path:
    """Write the value to a new file with mode 0600; refuse to overwrite or follow a link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise KeysError(f"{path}: already exists; the key file is never overwritten") from None
    except OSError as exc:
        raise KeysError(f"{path}: cannot create key file: {exc.strerror}") from None
    try:
        os.fchmod(fd, 0o600)  # the umask may have taken bits away, never added them
        os.write(fd, (secret.value + "\n").encode("utf-8"))
    finally:
        os.close(fd)
    return path


def show_secret_once(secret: NewSecret, stream: TextIO) -> None:
    """Print the value on an interactive terminal; refuse a pipe or file, which would keep it."""
    if not stream.isatty():
        raise KeysError(
            "the new key value is shown only on a terminal; give a file to write it to instead"
        )
    stream.write(f"\n  new key value (shown once, not stored): {secret.value}\n\n")
    stream.flush()
