"""Action ``access-review``: every logged use of the key from exposure start to revocation."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from toolkit.analytics import open_backend
from toolkit.analytics.access_review import AccessReview, review_key_access
from toolkit.analytics.interface import LoadOptions
from toolkit.keys import find_key
from toolkit.runbooks.actions.interface import ActionContext, ActionResult
from toolkit.timeutil import isoformat


@dataclass(frozen=True)
class AccessReviewAction:
    """Load the access logs given to ``incident run --logs`` and review the exposure window."""

    name: str = "access-review"
    title: str = "Review access logs over the exposure window"
    params: tuple[str, ...] = ()

    def run(self, ctx: ActionContext) -> ActionResult:
        """Not run without logs or without an exposure start; otherwise the review's figures."""
        if not ctx.logs.paths:
            return ActionResult("not_run", "no access logs given (incident run --logs FILE)")
        start = ctx.incident.exposure_start
        if start is None:
            return ActionResult("not_run", "the exposure start is not recorded yet")
        key = find_key(ctx.session, ctx.incident.key_id, ctx.incident.key_provider)
        end = key.revoked_at or ctx.at
        backend = open_backend()
        try:
            options = LoadOptions(
                ctx.logs.log_format, ctx.logs.skip_bad_records, ctx.logs.assume_tz, details=True
            )
            report = backend.load(list(ctx.logs.paths), options)
            logs_end = report.max_ts or end
            review = review_key_access(backend, key.key_id, start, end, key.revoked_at, logs_end)
        finally:
            backend.close()
        outputs = review_outputs(review)
        outputs["logs"] = [{"path": f.path, "format": f.log_format, "events": f.events}
                           for f in report.files]  # fmt: skip
        return ActionResult("done", summary(review), outputs)


def summary(review: AccessReview) -> str:
    """One line: events, failures, new sources, uses after revocation."""
    new = len(review.suspicious_ips)
    return (
        f"{review.events} event(s) in the window ({review.failures} failed), "
        f"{new} new source address(es), {review.after_revocation} event(s) after revocation"
    )


def review_outputs(review: AccessReview) -> dict[str, Any]:
    """The review as plain JSON values (times as ISO 8601 UTC)."""
    data = _plain(asdict(review))
    data["suspicious_ips"] = list(review.suspicious_ips)
    data["misuse_suspected"] = bool(review.suspicious_ips) or review.after_revocation > 0
    return dict(data)


def _plain(value: Any) -> Any:
    """Datetimes as text, tuples as lists, recursively."""
    if isinstance(value, datetime):
        return isoformat(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
