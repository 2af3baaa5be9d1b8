"""Shared logic of the two fingerprint-sharing rules: group active keys by secret fingerprint."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from toolkit.rules.interface import Finding
from toolkit.rules.model import Rule, key_finding

if TYPE_CHECKING:
    from toolkit.models import KeyBase


def shared(
    rule: Rule, active: Sequence[KeyBase], attribute: Callable[[KeyBase], str | None], noun: str
) -> Iterator[Finding]:
    """Findings for every ``active`` key whose fingerprint is held with more than one ``attribute``.

    Blank attribute values are ignored; comparison is case-insensitive.
    """
    groups: dict[str, list[KeyBase]] = defaultdict(list)
    for key in active:
        if key.fingerprint:
            groups[key.fingerprint].append(key)
    for fingerprint, group in groups.items():
        if len(group) < 2:  # one key holds one value: nothing shared (most groups)
            continue
        values = sorted({v.strip().lower() for k in group if (v := attribute(k)) and v.strip()})
        if len(values) < 2:
            continue
        others = sorted(f"{k.provider}:{k.key_id}" for k in group)
        for key in group:
            yield key_finding(
                rule,
                key,
                f"same secret in {len(values)} {noun}: {', '.join(values)}",
                fingerprint_prefix=fingerprint[:12],
                **{noun: values},
                keys=others,
            )
