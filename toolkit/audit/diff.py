"""Comparing two runs: new, resolved and persisting findings, and control status changes."""

from __future__ import annotations

from typing import Any


def _brief(finding: dict[str, Any]) -> dict[str, Any]:
    """The fields of a finding a diff shows."""
    return {
        "id": finding["id"],
        "rule_id": finding["rule_id"],
        "severity": finding["severity"],
        "subject": finding["subject"],
        "message": finding["message"],
        "waiver": (finding.get("waiver") or {}).get("state"),
    }


def _controls(doc: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(framework, control) -> status."""
    return {
        (fw["id"], c["id"]): c["status"] for fw in doc.get("frameworks", []) for c in fw["controls"]
    }


def control_changes(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Controls whose status differs (appearing or disappearing controls included)."""
    before, after = _controls(old), _controls(new)
    changes = []
    for key in list(before) + [k for k in after if k not in before]:
        if before.get(key) != after.get(key):
            changes.append(
                {
                    "framework": key[0],
                    "control": key[1],
                    "from": before.get(key),
                    "to": after.get(key),
                }
            )
    return changes


def diff_documents(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What changed from ``old`` to ``new``, matched by stable finding id."""
    before = {f["id"]: f for f in old.get("findings", [])}
    after = {f["id"]: f for f in new.get("findings", [])}
    persisting = [fid for fid in after if fid in before]
    waiver_changes = [
        {"id": fid, "from": _brief(before[fid])["waiver"], "to": _brief(after[fid])["waiver"]}
        for fid in persisting
        if _brief(before[fid])["waiver"] != _brief(after[fid])["waiver"]
    ]
    return {
        "from": {"as_of": old.get("as_of"), "findings": len(before)},
        "to": {"as_of": new.get("as_of"), "findings": len(after)},
        "new": [_brief(f) for fid, f in after.items() if fid not in before],
        "resolved": [_brief(f) for fid, f in before.items() if fid not in after],
        "persisting": [_brief(after[fid]) for fid in persisting],
        "waiver_changes": waiver_changes,
        "controls": control_changes(old, new),
    }
