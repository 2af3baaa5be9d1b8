"""Action ``related-keys``: other keys used from the access review's suspicious addresses."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.runbooks.actions.interface import ActionContext, ActionResult


@dataclass(frozen=True)
class RelatedKeys:
    """Read the related keys from an earlier ``access-review`` step (``from: STEP``)."""

    name: str = "related-keys"
    title: str = "Check for other compromised keys"
    params: tuple[str, ...] = ("from",)

    def run(self, ctx: ActionContext) -> ActionResult:
        """Not run when the review did not run; otherwise the keys with their addresses."""
        source = str(ctx.params.get("from") or "")
        review = ctx.outputs.get(source)
        if not review or "related" not in review:
            return ActionResult("not_run", f"the access review ({source}) has not run")
        related = list(review["related"])
        ips = list(review.get("suspicious_ips") or [])
        if not ips:
            text = "no suspicious source address, so no other key to check"
        elif not related:
            text = f"no other key used from {', '.join(ips)} in the window"
        else:
            ids = ", ".join(str(item["key_id"]) for item in related)
            text = f"{len(related)} other key(s) used from {', '.join(ips)}: {ids}"
        outputs = {"suspicious_ips": ips, "related": related, "count": len(related)}
        return ActionResult("done", text, outputs)
