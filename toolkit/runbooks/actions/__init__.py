"""Automated actions runbook steps call, registered here by name (one module each)."""

from __future__ import annotations

from toolkit.runbooks.actions.access_review import AccessReviewAction
from toolkit.runbooks.actions.interface import Action, ActionContext, ActionResult, SecretSink
from toolkit.runbooks.actions.related_keys import RelatedKeys
from toolkit.runbooks.actions.replace_key import ReplaceKey
from toolkit.runbooks.actions.revoke_key import RevokeKey
from toolkit.runbooks.actions.rotate_environment import RotateEnvironment
from toolkit.runbooks.actions.secret_scan import SecretScan

ACTIONS: dict[str, Action] = {
    action.name: action
    for action in (
        RevokeKey(),
        ReplaceKey(),
        AccessReviewAction(),
        RelatedKeys(),
        RotateEnvironment(),
        SecretScan(),
    )
}
"""Every action a playbook may ``use``; a provider connector is one more module and line here."""

__all__ = ["ACTIONS", "Action", "ActionContext", "ActionResult", "SecretSink"]
