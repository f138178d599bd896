"""The compile stage: a checked policy to an engine-neutral IR of plain, JSON-able data.

Both engines read only this IR, so what they agree on is exactly what is snapshot-tested.
Conditions are in negation normal form over flat fact keys (see `conditions`).
"""

from __future__ import annotations

from typing import Any

from ..conditions import to_ir
from .model import ActionSpec, PolicyDocument

IR_VERSION = 1
SCOPE_RULE = "scope"  # the id under which a kind's scope condition is compiled


def _action(action: ActionSpec) -> dict[str, Any]:
    return {"kind": action.kind, "target": action.target, "detail": action.detail}


def compile_policy(document: PolicyDocument) -> dict[str, Any]:
    """The IR of a checked policy: per kind, its scope and its rules in file order."""
    kinds: dict[str, Any] = {}
    for kind, policy in document.kinds.items():
        if policy.not_covered is not None:
            kinds[kind] = {"not_covered": policy.not_covered}
            continue
        assert policy.default is not None  # the checker guarantees it
        kinds[kind] = {
            "scope": None if policy.scope is None else {
                "id": SCOPE_RULE, "when": to_ir(policy.scope.when),
                "cites": list(policy.scope.cites)},
            "default": {"outcome": str(policy.default.outcome),
                        "cites": list(policy.default.cites)},
            "rules": [
                {
                    "id": rule.id,
                    "when": to_ir(rule.when),
                    "outcome": str(rule.outcome),
                    "cites": list(rule.cites),
                    "actions": [_action(a) for a in rule.actions],
                    "if_unavailable": None if rule.if_unavailable is None else {
                        "outcome": str(rule.if_unavailable.outcome),
                        "actions": [_action(a) for a in rule.if_unavailable.actions]},
                    "respond_within_working_days": rule.respond_within_working_days,
                }
                for rule in document.rules_for(kind)
            ],
        }
    return {
        "ir_version": IR_VERSION,
        "policy": {"id": document.id, "version": document.version, "digest": document.digest},
        "kinds": kinds,
    }


def evaluated_rules(ir: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """The conditions an engine evaluates for `kind`: the scope (if any), then every rule."""
    block = ir["kinds"].get(kind)
    if block is None or "not_covered" in block:
        return []
    scope = [block["scope"]] if block["scope"] else []
    return [*scope, *block["rules"]]
