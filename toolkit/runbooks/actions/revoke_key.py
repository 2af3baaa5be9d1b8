"""Action ``revoke-key``: revoke the incident's key in the inventory, with its reason."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.keys import revoke_key
from toolkit.runbooks.actions.interface import ActionContext, ActionResult
from toolkit.timeutil import isoformat


@dataclass(frozen=True)
class RevokeKey:
    """Mark the key revoked now; a key revoked earlier keeps its first revocation."""

    name: str = "revoke-key"
    title: str = "Revoke the key in the inventory"
    params: tuple[str, ...] = ("reason",)

    def run(self, ctx: ActionContext) -> ActionResult:
        """Revoke ``ctx.incident.key_id`` with ``params.reason``."""
        reason = str(ctx.params.get("reason") or f"incident {ctx.incident.ref}")
        done = revoke_key(
            ctx.session,
            ctx.incident.key_id,
            reason=reason,
            actor=ctx.actor,
            at=ctx.at,
            provider=ctx.incident.key_provider,
        )
        when = isoformat(done.revoked_at)
        summary = (
            f"{done.key.key_id} was already revoked at {when} ({done.reason})"
            if done.already_revoked
            else f"{done.key.key_id} revoked at {when}: {done.reason}"
        )
        outputs = {
            "key_id": done.key.key_id,
            "revoked_at": when,
            "reason": done.reason,
            "already_revoked": done.already_revoked,
        }
        return ActionResult("done", summary, outputs)
