"""Action ``rotate-environment``: every active key of the incident key's environment, marked."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from toolkit.keys import find_key
from toolkit.keys.schedule import ROTATION_REQUESTED
from toolkit.runbooks.actions.interface import ActionContext, ActionResult
from toolkit.store.tables import Key
from toolkit.trail import append


@dataclass(frozen=True)
class RotateEnvironment:
    """List the environment's active keys with owners; trail each as marked for rotation."""

    name: str = "rotate-environment"
    title: str = "Mark every key of the environment for rotation"
    params: tuple[str, ...] = ()

    def run(self, ctx: ActionContext) -> ActionResult:
        """Keys other than the incident's own (and its replacement) in the same environment."""
        key = find_key(ctx.session, ctx.incident.key_id, ctx.incident.key_provider)
        if not key.environment:
            return ActionResult("not_run", f"{key.key_id} has no environment in the inventory")
        rows = ctx.session.exec(select(Key).where(Key.environment == key.environment)).all()
        keys = sorted(
            (k for k in rows if k.active and k.key_id != key.key_id and k.replaces != key.key_id),
            key=lambda k: (k.owner or "", k.key_id),
        )
        listed = [
            {"key_id": k.key_id, "provider": k.provider, "owner": k.owner, "name": k.name}
            for k in keys
        ]
        for item in listed:
            payload = {**item, "incident": ctx.incident.ref, "environment": key.environment}
            append(ctx.session, actor=ctx.actor, action=ROTATION_REQUESTED,
                   payload=payload, at=ctx.at)  # fmt: skip
        owners = sorted({str(k.owner) for k in keys if k.owner})
        text = f"{len(keys)} key(s) in {key.environment} marked for rotation"
        outputs = {"environment": key.environment, "keys": listed, "owners": owners}
        return ActionResult("done", text, outputs)
