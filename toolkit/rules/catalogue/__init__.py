"""The rule catalogue: one module per rule id, registered here in a fixed order."""

from __future__ import annotations

import fnmatch
import hashlib
import json
from typing import Any

from toolkit.errors import RuleError
from toolkit.rules.catalogue import (
    access_without_audit_trail,
    broad_scope,
    config_permissions,
    denied_burst,
    env_file_not_ignored,
    expired_active,
    expiring_soon,
    failed_auth_burst,
    failed_auth_rate_increase,
    inventoried_key_exposed,
    log_retention_gap,
    missing_metadata,
    new_key_generated,
    new_location,
    no_expiry,
    no_mfa,
    provider_reported_exposed,
    revoked_without_reason,
    root_access_key,
    rotation_overdue,
    rotation_overlap_exceeded,
    secret_in_code,
    secret_in_logs,
    shared_across_environments,
    shared_between_owners,
    unknown_key_activity,
    unused,
    usage_anomaly,
    used_after_expiry,
    used_after_revocation,
    weak_key,
)
from toolkit.rules.interface import LogCheck, RuleModule
from toolkit.rules.model import Rule
from toolkit.rules.policy import Policy

_MODULES: tuple[RuleModule, ...] = (
    rotation_overdue,
    expiring_soon,
    expired_active,
    no_expiry,
    unused,
    shared_across_environments,
    shared_between_owners,
    weak_key,
    broad_scope,
    missing_metadata,
    revoked_without_reason,
    rotation_overlap_exceeded,
    root_access_key,
    no_mfa,
    used_after_revocation,
    used_after_expiry,
    failed_auth_burst,
    denied_burst,
    new_location,
    usage_anomaly,
    failed_auth_rate_increase,
    new_key_generated,
    unknown_key_activity,
    access_without_audit_trail,
    log_retention_gap,
    inventoried_key_exposed,
    provider_reported_exposed,
    secret_in_code,
    secret_in_logs,
    env_file_not_ignored,
    config_permissions,
)


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Leaves of nested dicts as ``dotted.path -> value`` (lists stay whole)."""
    if not isinstance(data, dict):
        return {prefix: data}
    out: dict[str, Any] = {}
    for name, value in data.items():
        out.update(_flatten(value, f"{prefix}.{name}" if prefix else str(name)))
    return out


def rule_thresholds(rule: Rule, policy: Policy) -> dict[str, Any]:
    """The policy values a rule reads, as ``dotted.path -> value`` (``*`` patterns expanded)."""
    leaves = _flatten(policy.effective())
    found: dict[str, Any] = {}
    for pattern in rule.thresholds:
        found.update({path: v for path, v in leaves.items() if fnmatch.fnmatchcase(path, pattern)})
    return dict(sorted(found.items()))


def _check(module: RuleModule) -> Rule:
    """Check a rule module: RULE present, id == module name, ``evaluate``, thresholds exist."""
    where = getattr(module, "__name__", repr(module))
    rule = getattr(module, "RULE", None)  # a module registered by mistake fails here, clearly
    if not isinstance(rule, Rule):
        raise RuleError(f"{where}: no RULE = Rule(...) metadata")
    if rule.module_name != where.rsplit(".", 1)[-1]:
        raise RuleError(f"{where}: RULE.id {rule.id!r} does not match the module name")
    if not callable(getattr(module, "evaluate", None)):
        raise RuleError(f"{where}: no evaluate(inputs) function")
    leaves = _flatten(Policy().effective())
    for pattern in rule.thresholds:
        if not any(fnmatch.fnmatchcase(path, pattern) for path in leaves):
            raise RuleError(f"{where}: threshold {pattern!r} is not a policy key")
    return rule


def _registry(modules: tuple[RuleModule, ...]) -> dict[str, RuleModule]:
    """Rule id -> module, after checking each module and that no id or log check id repeats."""
    found: dict[str, RuleModule] = {}
    for module in modules:
        rule = _check(module)
        if rule.id in found:
            raise RuleError(f"rule id {rule.id!r} registered twice")
        found[rule.id] = module
    checks = [c.id for m in found.values() for c in m.RULE.checks]
    if len(checks) != len(set(checks)):
        raise RuleError("two log checks share an id")
    return found


RULES: dict[str, RuleModule] = _registry(_MODULES)
"""Every rule id -> its module, in DESIGN.md's order."""

LOG_CHECKS: tuple[tuple[Rule, LogCheck], ...] = tuple(
    (m.RULE, check) for m in RULES.values() for check in m.RULE.checks
)
"""Every log rule's checks with their rule, in catalogue order: what a log backend runs."""


def ruleset_metadata() -> list[dict[str, Any]]:
    """Metadata of every rule, in catalogue order."""
    return [module.RULE.metadata() for module in RULES.values()]


RULESET_VERSION = hashlib.sha256(
    json.dumps(ruleset_metadata(), sort_keys=True, separators=(",", ":")).encode("utf-8")
).hexdigest()[:12]
"""Short digest of all rule metadata: changes whenever any rule's metadata changes."""


def get_rule(rule_id: str) -> Rule:
    """The metadata of ``rule_id``; unknown ids raise ``RuleError`` listing the known ones."""
    module = RULES.get(rule_id)
    if module is None:
        raise RuleError(f"unknown rule id {rule_id!r} (see `keyvigil audit run --help` rules list)")
    return module.RULE


__all__ = ["LOG_CHECKS", "RULES", "RULESET_VERSION", "get_rule", "rule_thresholds"]
