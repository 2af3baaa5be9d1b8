"""Fingerprint and entropy of a secret value, computed once at ingest; the value is then dropped."""

from __future__ import annotations

import hashlib
import math
import string

_HEX = frozenset(string.hexdigits)
_BASE32 = frozenset(string.ascii_uppercase + "234567=")
_ALNUM = frozenset(string.ascii_letters + string.digits)
_BASE64 = frozenset(string.ascii_letters + string.digits + "+/=")
_BASE64URL = frozenset(string.ascii_letters + string.digits + "-_=")
_PRINTABLE = frozenset(chr(c) for c in range(0x20, 0x7F))


def fingerprint(value: str) -> str:
    """SHA-256 of the value's UTF-8 bytes, as 64 lowercase hex digits."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def alphabet_size(value: str) -> int:
    """Size of the smallest standard alphabet (hex, base32, alnum, base64, printable) holding it."""
    chars = set(value)
    if chars <= _HEX:
        return 16
    if chars <= _BASE32:
        return 32
    if chars <= _ALNUM:
        return 62
    if chars <= _BASE64 or chars <= _BASE64URL:
        return 64
    if chars <= _PRINTABLE:
        return 94
    return 256  # non-ASCII: count it as arbitrary bytes


def entropy_bits(value: str) -> float:
    """Upper-bound entropy estimate: length times log2 of the alphabet size, rounded to 0.1."""
    if not value:
        return 0.0
    return round(len(value) * math.log2(alphabet_size(value)), 1)
