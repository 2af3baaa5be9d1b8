"""Fingerprint and entropy of a secret value, computed once at ingest; the value is then dropped."""

from __future__ import annotations

import hashlib
import math
import string

_HEX = string.hexdigits.encode()
_BASE32 = (string.ascii_uppercase + "234567=").encode()
_ALNUM = (string.ascii_letters + string.digits).encode()
_BASE64 = (string.ascii_letters + string.digits + "+/=").encode()
_BASE64URL = (string.ascii_letters + string.digits + "-_=").encode()
_PRINTABLE = bytes(range(0x20, 0x7F))
_ALPHABETS: tuple[tuple[bytes, int], ...] = (
    (_HEX, 16),
    (_BASE32, 32),
    (_ALNUM, 62),
    (_BASE64, 64),
    (_BASE64URL, 64),
)
_ALPHABETS += ((_PRINTABLE, 94),)
_LOG2 = {size: math.log2(size) for size in (16, 32, 62, 64, 94, 256)}


def fingerprint(value: str) -> str:
    """SHA-256 of the value's UTF-8 bytes, as 64 lowercase hex digits."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


PREFIX_DIGITS = 12
"""Hex digits of a fingerprint shown outside the store: enough to tell keys apart."""


def fingerprint_prefix(digest: str | None) -> str | None:
    """The first ``PREFIX_DIGITS`` hex digits of a fingerprint, for listings and reports.

    The full SHA-256 stays inside the store, where matching needs it. A prefix still confirms
    a guessed value of a low-entropy key, which is why such keys are flagged as weak.
    """
    return digest[:PREFIX_DIGITS] if digest else None


def _alphabet(data: bytes) -> int:
    """Alphabet size of UTF-8 bytes: a character outside ASCII is never in an ASCII alphabet."""
    for alphabet, size in _ALPHABETS:
        if not data.translate(None, alphabet):
            return size
    return 256  # non-ASCII: count it as arbitrary bytes


def alphabet_size(value: str) -> int:
    """Size of the smallest standard alphabet (hex, base32, alnum, base64, printable) holding it."""
    return _alphabet(value.encode("utf-8"))


def entropy_bits(value: str) -> float:
    """Upper-bound entropy estimate: length times log2 of the alphabet size, rounded to 0.1."""
    if not value:
        return 0.0
    return round(len(value) * _LOG2[alphabet_size(value)], 1)


def secret_facts(value: str) -> tuple[str, float]:
    """``(fingerprint(value), entropy_bits(value))``, encoding the value once."""
    data = value.encode("utf-8")
    bits = round(len(value) * _LOG2[_alphabet(data)], 1) if value else 0.0
    return hashlib.sha256(data).hexdigest(), bits
