"""Reading rule test-case folders: keys and events with times relative to the case's as-of."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

import toolkit.store  # noqa: F401  (import order: toolkit.models needs the store package first)
from toolkit.models import KeyBase
from toolkit.rules.policy import Policy, load_policy
from toolkit.scan.results import ScanResults, load_scan_results
from toolkit.timeutil import isoformat, parse_timestamp

CASES = Path(__file__).resolve().parents[1] / "data" / "rule_cases"
DEFAULT_AS_OF = "2026-10-01T00:00:00Z"
RELATIVE = re.compile(r"^as_of((?:\s*[+-]\s*\d+(?:\.\d+)?[dhms])*)$")
STEP = re.compile(r"([+-])\s*(\d+(?:\.\d+)?)([dhms])")
UNITS = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
TIME_FIELDS = ("created_at", "expires_at", "last_used_at", "last_rotated_at", "revoked_at", "ts")


def when(value: Any, as_of: datetime) -> Any:
    """``as_of-90d-1s`` style text as a datetime; ISO text parsed; anything else unchanged."""
    if not isinstance(value, str):
        return value
    match = RELATIVE.match(value.strip())
    if not match:
        return parse_timestamp(value)
    moment = as_of
    for sign, number, unit in STEP.findall(match.group(1)):
        delta = timedelta(**{UNITS[unit]: float(number)})
        moment = moment + delta if sign == "+" else moment - delta
    return moment


def _keys(path: Path, as_of: datetime) -> list[KeyBase]:
    """``keys.yaml``: a list of key records (KeyBase fields), times absolute or relative."""
    if not path.exists():
        return []
    records = yaml.safe_load(path.read_text()) or []
    keys = []
    for record in records:
        data = {k: when(v, as_of) if k in TIME_FIELDS else v for k, v in record.items()}
        keys.append(KeyBase.model_validate(data))
    return keys


def events_jsonl(path: Path, as_of: datetime, out: Path) -> Path | None:
    """``events.yaml`` -> house JSON Lines in ``out``; ``count``/``step`` repeat an event."""
    if not path.exists():
        return None
    lines = []
    for record in yaml.safe_load(path.read_text()) or []:
        record = dict(record)
        count, step = int(record.pop("count", 1)), record.pop("step", "as_of+1s")
        start = when(record.pop("ts"), as_of)
        gap = when(step, as_of) - as_of
        for n in range(count):
            lines.append(json.dumps(dict(record, ts=isoformat(start + n * gap))))
    out.write_text("\n".join(lines) + "\n")
    return out


@dataclass
class Case:
    """One rule-case folder, loaded."""

    rule_id: str
    folder: Path
    as_of: datetime
    keys: list[KeyBase]
    policy: Policy
    scan: ScanResults | None
    fail: list[str]
    passing: list[str]
    unjudged: list[str]
    not_evaluated: str | None


def case_folders() -> list[Path]:
    """Every folder holding an expected.yaml: ``<rule-id>/`` or ``<rule-id>/<variant>/``."""
    return sorted(path.parent for path in CASES.rglob("expected.yaml"))


def load_case(folder: Path) -> Case:
    """Read a case folder: expected.yaml, keys.yaml, optional policy.yaml and scan.json.

    The rule id is the first folder name under ``rule_cases/``. Besides ``fail`` and ``pass``,
    expected.yaml may list ``not_evaluated_for`` (subjects the rule must leave unjudged) or give
    ``not_evaluated`` (the reason the whole rule is not evaluated).
    """
    expected = yaml.safe_load((folder / "expected.yaml").read_text())
    as_of = parse_timestamp(str(expected.get("as_of", DEFAULT_AS_OF)))
    policy_file = folder / "policy.yaml"
    scan_file = folder / "scan.json"
    return Case(
        rule_id=folder.relative_to(CASES).parts[0],
        folder=folder,
        as_of=as_of,
        keys=_keys(folder / "keys.yaml", as_of),
        policy=load_policy(policy_file if policy_file.exists() else None),
        scan=load_scan_results(scan_file) if scan_file.exists() else None,
        fail=[str(s) for s in expected.get("fail") or []],
        passing=[str(s) for s in expected.get("pass") or []],
        unjudged=[str(s) for s in expected.get("not_evaluated_for") or []],
        not_evaluated=expected.get("not_evaluated"),
    )
