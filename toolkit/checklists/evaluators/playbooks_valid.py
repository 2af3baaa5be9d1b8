"""Incident response procedures documented: every playbook validates; compromise and leakage
runbooks exist."""

from __future__ import annotations

from toolkit.checklists.evaluators.interface import EvidenceContext, Outcome, Verdict
from toolkit.errors import PlaybookError
from toolkit.runbooks.loader import load_playbook, playbook_files

ID = "playbooks-validate"
REQUIRED = ("key-compromise", "key-leakage")
"""The seed's two incident procedures: Key Compromise and Key Leakage."""


def evaluate(ctx: EvidenceContext) -> Verdict:
    """Holds when each playbook keyvigil would run loads without a problem and both exist."""
    try:
        files = playbook_files(ctx.playbooks)
    except PlaybookError as exc:
        return Verdict(Outcome.FAILS, f"the playbooks cannot be read: {exc}")
    lines, broken = [], []
    for playbook_id, path in files.items():
        try:
            loaded = load_playbook(path, ctx.playbooks)
        except PlaybookError as exc:
            broken.append(playbook_id)
            lines.append(f"{playbook_id}: invalid: {str(exc).splitlines()[0]}")
            continue
        lines.append(
            f"{playbook_id} v{loaded.playbook.version}: valid (sha256 {loaded.sha256[:12]})"
        )
    missing = [p for p in REQUIRED if p not in files]
    if broken or missing:
        problems = [f"invalid: {', '.join(broken)}"] if broken else []
        problems += [f"missing: {', '.join(missing)}"] if missing else []
        return Verdict(Outcome.FAILS, "incident playbooks " + "; ".join(problems), tuple(lines))
    return Verdict(Outcome.HOLDS, f"all {len(files)} incident playbooks validate", tuple(lines))
