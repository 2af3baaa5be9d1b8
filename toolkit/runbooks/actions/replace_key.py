"""Action ``replace-key``: a new 256-bit key linked with ``replaces``; its value is shown once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from toolkit.errors import IncidentError
from toolkit.keys import create_replacement, find_key, generate_secret
from toolkit.runbooks.actions.interface import ActionContext, ActionResult
from toolkit.runbooks.durations import parse_duration
from toolkit.timeutil import isoformat


@dataclass(frozen=True)
class ReplaceKey:
    """Generate the replacement, record its fingerprint, deliver the value, never keep it."""

    name: str = "replace-key"
    title: str = "Generate the replacement key"
    params: tuple[str, ...] = ("expires_in",)

    def run(self, ctx: ActionContext) -> ActionResult:
        """Once per incident: a second request reports the replacement already issued."""
        earlier = _issued(ctx)
        if earlier is not None:
            return ActionResult(
                "done", f"replacement {earlier} already issued", {"key_id": earlier}
            )
        if ctx.deliver_secret is None:
            raise IncidentError("replace-key: nowhere to deliver the new value")
        old = find_key(ctx.session, ctx.incident.key_id, ctx.incident.key_provider)
        secret = (ctx.new_secret or generate_secret)()
        expires = ctx.at + _lifetime(ctx, old.environment)
        new = create_replacement(
            ctx.session, old.key_id, secret, actor=ctx.actor, at=ctx.at,
            expires_at=expires, provider=old.provider,
        )  # fmt: skip
        where = ctx.deliver_secret(secret)
        outputs = {
            "key_id": new.key_id,
            "replaces": old.key_id,
            "fingerprint": secret.fingerprint,
            "expires_at": isoformat(expires),
            "delivered": where,
        }
        return ActionResult("done", f"replacement {new.key_id} issued, value {where}", outputs)


def _issued(ctx: ActionContext) -> str | None:
    """The replacement an earlier step of this incident already issued, if any."""
    for outputs in ctx.outputs.values():
        if outputs.get("replaces") == ctx.incident.key_id and outputs.get("key_id"):
            return str(outputs["key_id"])
    return None


def _lifetime(ctx: ActionContext, environment: str | None) -> timedelta:
    """``expires_in`` when given, else the environment's rotation period from the policy."""
    text = ctx.params.get("expires_in")
    if text:
        try:
            return parse_duration(str(text)).after(ctx.at) - ctx.at
        except ValueError as exc:
            raise IncidentError(f"replace-key: expires_in: {exc}") from None
    return timedelta(days=ctx.policy.environment(environment).rotation_days)
