"""The detection engine (Betterleaks, in process) and inventory matching, turned into masked hits.

Secret values exist only inside :func:`scan_text`: each is hashed and masked before it leaves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path

import betterleaks  # its Go library is loaded on the first scan, in the process that scans

from toolkit.scan.interface import PREVIEW_CHARS, Hit, Location, MaskedSecret

CONFIG = Path(__file__).with_name("betterleaks.toml")
"""The engine's default rules plus keyvigil's additions (bearer tokens in headers and logs)."""
CHUNK_LINES = 400
"""Text is handed to the engine in blocks of about this many lines (it slows on huge strings)."""
MIN_TOKEN = 16
"""Inventory matching hashes every token at least this long (shorter keys: detectors only)."""
INVENTORY_DETECTOR = "inventory-fingerprint"
_TOKEN_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/=.~"
_TOKENS = bytes(c if c in _TOKEN_BYTES else 0x20 for c in range(256))
_SPLITS = bytes(0x20 if c in b"=/." else c for c in range(256))


def mask(value: str) -> MaskedSecret:
    """Fingerprint, length and a preview of at most the first four characters (fewer if short)."""
    shown = min(PREVIEW_CHARS, max(len(value) // 4, 0))
    return MaskedSecret(
        fingerprint=hashlib.sha256(value.encode("utf-8")).hexdigest(),
        length=len(value),
        preview=value[:shown] + "…",
    )


def engine_version() -> str:
    """The Betterleaks engine version (upstream), for reports."""
    return str(getattr(betterleaks, "__upstream_version__", betterleaks.__version__))


def chunks(text: str) -> Iterator[tuple[int, str]]:
    """(index of the first line, block) pieces of ``text``; a PEM block is never cut in two."""
    if text.count("\n") <= CHUNK_LINES:
        yield 0, text
        return
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines):
        end = min(start + CHUNK_LINES, len(lines))
        block = "".join(lines[start:end])
        while end < len(lines) and block.rfind("-----BEGIN") > block.rfind("-----END"):
            more = min(end + CHUNK_LINES, len(lines))
            block += "".join(lines[end:more])
            end = more
        yield start, block
        start = end


def _column(block: str, line: int, column: int, value: str) -> int:
    """1-based column of the value on its line (the engine reports where its match starts)."""
    text = block.splitlines()[line - 1] if line - 1 < block.count("\n") + 1 else ""
    found = text.find(value[:40], max(column - 1, 0))
    return found + 1 if found >= 0 else column


def _detect(block: str) -> Iterator[tuple[int, int, str, str]]:
    """(line in block, column, rule id, value) for every engine match in one block."""
    for match in betterleaks.scan_string(block, config_path=str(CONFIG)):
        value = match.secret
        if not value:
            continue
        line = max(match.location.start_line, 1)
        yield line, _column(block, line, match.location.start_column, value), match.rule_id, value


def _candidates(data: bytes) -> set[bytes]:
    """Tokens worth hashing: long runs of key characters, and their pieces around ``= / .``."""
    out = set()
    for token in data.translate(_TOKENS).split():
        if len(token) >= MIN_TOKEN:
            out.add(token)
            out.update(p for p in token.translate(_SPLITS).split() if len(p) >= MIN_TOKEN)
    return out


def _inventory_values(text: str, inventory: Collection[str]) -> list[str]:
    """The tokens of ``text`` whose SHA-256 is an inventory fingerprint."""
    if not inventory:
        return []
    data = text.encode("utf-8", "replace")
    found = []
    for token in _candidates(data):
        if hashlib.sha256(token).hexdigest() in inventory:
            found.append(token.decode("ascii"))
    return found


def _places(text: str, value: str) -> Iterator[tuple[int, int]]:
    """(1-based line, column) of every occurrence of ``value`` in ``text``."""
    at = text.find(value)
    while at >= 0:
        line_start = text.rfind("\n", 0, at) + 1
        yield text.count("\n", 0, at) + 1, at - line_start + 1
        at = text.find(value, at + len(value))


def scan_text(
    text: str,
    file: str,
    location: Location,
    inventory: Collection[str],
    lines: Sequence[int] | None = None,
) -> list[Hit]:
    """Masked hits in ``text``: engine matches, plus inventory values no detector caught.

    ``lines`` maps the text's 0-based line index to the line number to report (history scans
    hand over only the added lines); without it line numbers are the text's own.
    """
    seen: dict[tuple[int, str], Hit] = {}

    def add(line: int, column: int, detector: str, value: str) -> None:
        """Mask the value and keep one hit per (line, secret)."""
        secret = mask(value)
        number = lines[line - 1] if lines is not None and line - 1 < len(lines) else line
        key = (number, secret.fingerprint)
        if key not in seen:
            seen[key] = Hit(file, number, column, detector, secret, location)

    for first, block in chunks(text):
        for line, column, rule_id, value in _detect(block):
            add(first + line, column, rule_id, value)
    for value in _inventory_values(text, inventory):
        for line, column in _places(text, value):
            add(line, column, INVENTORY_DETECTOR, value)
    return sorted(seen.values(), key=lambda h: (h.line, h.column, h.detector))
