"""Notification records: to whom, when, which reference; a late one needs its reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from toolkit.runbooks.schema import NotifyStep
from toolkit.runbooks.steps.common import missing
from toolkit.runbooks.steps.interface import StepContext, StepOutcome
from toolkit.timeutil import isoformat, parse_timestamp


@dataclass(frozen=True)
class NotifyHandler:
    """Record the notification; clocks it stops are stopped at the time it was sent."""

    type: str = "notify"

    def run(self, ctx: StepContext) -> StepOutcome:
        """Recipient, sent time and reference; reason when a clock it stops was overdue."""
        step = ctx.flat.step
        assert isinstance(step, NotifyStep)
        recipient, sent, reference = self._facts(ctx, step.audience)
        late = [c.id for c in ctx.clocks(sent) if c.id in step.stops and c.state == "overdue"]
        reason = self._late_reason(ctx, late) if late else None
        output: dict[str, Any] = {
            "audience": step.audience, "recipient": recipient, "sent_at": isoformat(sent),
            "reference": reference, "late_clocks": late, "late_reason": reason,
        }  # fmt: skip
        return StepOutcome("done", output, at=sent)

    def _facts(self, ctx: StepContext, audience: str) -> tuple[str, datetime, str]:
        """(recipient, sent at, reference) from the terminal or the answers file."""
        if ctx.interactive:
            assert ctx.prompter is not None
            recipient = ctx.prompter.ask(f"Notified whom ({audience})", check=_text)
            sent = ctx.prompter.ask("Sent at (UTC)", default=isoformat(ctx.at), check=_time)
            reference = ctx.prompter.ask("Reference (ticket, letter or message id)", check=_text)
            return recipient, sent, reference
        answer = ctx.answer
        if answer is None or not answer.recipient:
            raise missing(ctx, "recipient")
        if answer.sent_at is None:
            raise missing(ctx, "sent_at")
        if not answer.reference:
            raise missing(ctx, "reference")
        return answer.recipient, answer.sent_at, answer.reference

    def _late_reason(self, ctx: StepContext, late: list[str]) -> str:
        """Why the deadline was missed (GDPR Art. 33(1): reasons for the delay)."""
        if ctx.interactive:
            assert ctx.prompter is not None
            ctx.prompter.show(f"This notification is late for: {', '.join(late)}")
            text: str = ctx.prompter.ask("Reason for the delay", check=_text)
            return text
        if ctx.answer is None or not ctx.answer.late_reason:
            raise missing(ctx, f"late_reason (late for {', '.join(late)})")
        return ctx.answer.late_reason


def _text(value: str) -> str:
    """A non-empty line."""
    if not value.strip():
        raise ValueError("an answer is required")
    return value.strip()


def _time(value: str) -> datetime:
    """A time; without a zone it is UTC."""
    return parse_timestamp(value, ZoneInfo("UTC"))
