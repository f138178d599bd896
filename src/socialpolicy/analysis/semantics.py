"""What a policy decides, over the whole subject space at once.

Mirrors how `engine.Policy.decide` combines findings: outside the scope the subject is
`not_covered`; otherwise the most severe outcome of the rules that fired (a comment's hide or
delete falls back per the rule when the platform cannot do it), the actions and cited clauses of
every fired rule, and the declared default when none fires. Each part of a decision becomes one
BDD per value, so two policies are compared part by part, and every witness is re-checked by
deciding it for real (see `witness.verify`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from ..decision import Decision
from ..policy.model import PolicyDocument
from ..vocab import DEFAULT_PLATFORM_CAPABILITIES, SCALES, Outcome
from .space import Function, Space

#: The parts of a decision a comparison can look at.
PARTS: tuple[str, ...] = ("outcome", "actions", "clauses", "deadline")
_NEEDS = {"hide": "hide", "delete": "delete"}
ActionKey = tuple[str, str | None]


@dataclass(frozen=True, slots=True)
class Signature:
    """The parts of a decision that a comparison looks at (`deadline`: the working days the
    earliest response deadline allows, when the policy sets one)."""

    outcome: str
    actions: tuple[ActionKey, ...] = ()
    clauses: tuple[str, ...] = ()
    deadline: int | None = None

    @classmethod
    def of(cls, decision: Decision, deadline: int | None = None) -> Signature:
        return cls(str(decision.outcome),
                   tuple(sorted({(a.kind, a.target) for a in decision.actions},
                                key=_action_order)),
                   tuple(sorted({c.clause_id for c in decision.citations})), deadline)

    def restricted(self, parts: Iterable[str]) -> Signature:
        keep = set(parts)
        return Signature(self.outcome if "outcome" in keep else "",
                         self.actions if "actions" in keep else (),
                         self.clauses if "clauses" in keep else (),
                         self.deadline if "deadline" in keep else None)

    def to_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome,
                "actions": [kind if target is None else f"{kind}:{target}"
                            for kind, target in self.actions],
                "clauses": list(self.clauses), "respond_within_working_days": self.deadline}


def _action_order(key: ActionKey) -> tuple[str, str]:
    return key[0], key[1] or ""


@dataclass(frozen=True, slots=True)
class _Branch:
    """Where a fired rule decides `outcome` with `actions`; on a platform that cannot apply
    the rule's own outcome (`instead_of`), its fallback adds `extra` actions."""

    node: Function
    outcome: str
    actions: list[ActionKey]
    extra: list[ActionKey] = field(default_factory=list)
    instead_of: str | None = None


def _drops_moot_fallback_actions() -> bool:
    """Whether the decide stage drops a fallback's own actions when the decision already goes
    as far as the rule's outcome (hide-and-report lapses once the comment is deleted anyway).
    If the engine's combining changes, this module must follow: the brute-force tests in
    tests/test_exact_diff.py compare the two on every small kind."""
    from .. import engine

    return any(hasattr(module, "_without_moot_fallback")
               for module in (engine, sys.modules.get("socialpolicy._plan")) if module)


def _any(space: Space, nodes: Iterable[Function]) -> Function:
    return reduce(lambda a, b: a | b, nodes, space.false)


class Semantics:
    """One policy's decisions for one kind, as BDDs over a shared `Space`."""

    def __init__(self, space: Space, ir: dict[str, Any], document: PolicyDocument) -> None:
        self.space = space
        self.document = document
        kind = space.kind
        block = ir["kinds"].get(kind)
        self.outcomes: dict[str, Function] = {}
        self.actions: dict[ActionKey, Function] = {}
        self.clauses: dict[str, Function] = {}
        self.deadlines: dict[int | None, Function] = {}
        self.fired: dict[str, Function] = {}
        self.covered = block is not None and "not_covered" not in block
        self.deadlines[None] = space.true
        if not self.covered:
            self.outcomes[str(Outcome.NOT_COVERED)] = space.true
            self.scope = space.false
            return
        assert block is not None
        self.scope = space.true if not block["scope"] else space.condition(block["scope"]["when"])
        self.rules: list[dict[str, Any]] = block["rules"]
        self.fired = {r["id"]: self.scope & space.condition(r["when"]) for r in self.rules}
        self.default = block["default"]
        self._combine()

    def _branches(self, rule: dict[str, Any]) -> list[_Branch]:
        """Where a fired rule decides what, split by what the platform allows."""
        fired = self.fired[rule["id"]]
        actions = [(a["kind"], a["target"]) for a in rule["actions"]]
        needed = _NEEDS.get(rule["outcome"])
        fallback = rule["if_unavailable"]
        if self.space.kind != "comment" or needed is None or fallback is None:
            return [_Branch(fired, rule["outcome"], actions)]
        able = _any(self.space, (
            self.space.equals("field.platform", platform)
            for platform in self.space.by_key["field.platform"].choices
            if needed in DEFAULT_PLATFORM_CAPABILITIES.get(platform, {"hide", "delete"})))
        extra = [(a["kind"], a["target"]) for a in fallback["actions"]]
        return [_Branch(fired & able, rule["outcome"], actions),
                _Branch(fired & ~able, fallback["outcome"], actions,
                        [k for k in extra if k not in actions], rule["outcome"])]

    def _combine(self) -> None:
        space = self.space
        scale = [str(o) for o in SCALES[space.kind]]
        branches = [b for rule in self.rules for b in self._branches(rule)]
        at_least = [_any(space, (b.node for b in branches if scale.index(b.outcome) >= i))
                    for i in range(len(scale))]
        some = _any(space, self.fired.values())
        for i, outcome in enumerate(scale):
            above = at_least[i + 1] if i + 1 < len(scale) else space.false
            self.outcomes[outcome] = at_least[i] & ~above
        quiet = self.scope & ~some
        default = str(self.default["outcome"])
        self.outcomes[default] = self.outcomes[default] | quiet
        self.outcomes[str(Outcome.NOT_COVERED)] = ~self.scope
        moot = _drops_moot_fallback_actions()
        for branch in branches:
            for key in branch.actions:
                self.actions[key] = self.actions.get(key, space.false) | branch.node
            where = branch.node
            if moot and branch.instead_of is not None:
                # the fallback's own actions lapse once the decision goes as far as the rule
                where = where & ~at_least[scale.index(branch.instead_of)]
            for key in branch.extra:
                self.actions[key] = self.actions.get(key, space.false) | where
        for rule in self.rules:
            for clause in rule["cites"]:
                self.clauses[clause] = self.clauses.get(clause, space.false) | self.fired[
                    rule["id"]]
        for clause in self.default["cites"]:
            self.clauses[clause] = self.clauses.get(clause, space.false) | quiet
        self._deadlines()

    def _deadlines(self) -> None:
        space = self.space
        if self.document.working_hours is None or space.kind == "account_request":
            return
        days: dict[int, Function] = {}
        for rule in self.rules:
            within = rule["respond_within_working_days"]
            if within:
                days[within] = days.get(within, space.false) | self.fired[rule["id"]]
        earlier = space.false
        for within in sorted(days):  # the earliest deadline of the rules that fired applies
            self.deadlines[within] = days[within] & ~earlier
            earlier |= days[within]
        self.deadlines[None] = ~earlier

    # ---- reading it ------------------------------------------------------------------------

    def part(self, name: str) -> Mapping[Any, Function]:
        parts: dict[str, Mapping[Any, Function]] = {
            "outcome": self.outcomes, "actions": self.actions, "clauses": self.clauses,
            "deadline": self.deadlines}
        return parts[name]

    def fires(self, rule_id: str) -> Function:
        """The subjects on which rule `rule_id` fires (none if the policy has no such rule)."""
        found: Function = self.fired.get(rule_id)
        return self.space.false if found is None else found

    def at(self, name: str, key: Any) -> Function:
        """The subjects whose decision has `key` in part `name` (none if it never does)."""
        found: Function = self.part(name).get(key)
        return self.space.false if found is None else found

    def signature(self, values: Mapping[str, Any]) -> Signature:
        """The decision parts at one point of the space."""
        space = self.space
        at = space.encode(values)

        def holds(node: Function) -> bool:
            return bool(space.bdd.let(at, node) == space.true)

        outcome = next(o for o, node in self.outcomes.items() if holds(node))
        actions = tuple(sorted((k for k, n in self.actions.items() if holds(n)),
                               key=_action_order))
        clauses = tuple(sorted(c for c, n in self.clauses.items() if holds(n)))
        deadline = next((d for d, n in self.deadlines.items() if d is not None and holds(n)),
                        None)
        return Signature(outcome, actions, clauses, deadline)

    def where(self, signature: Signature, parts: Iterable[str] = PARTS) -> Function:
        """Every subject this policy decides with `signature` (on the given parts)."""
        space = self.space
        node = space.true
        parts = set(parts)
        if "outcome" in parts:
            node &= self.outcomes.get(signature.outcome, space.false)
        if "actions" in parts:
            for key, where in self.actions.items():
                node &= where if key in signature.actions else ~where
            if any(key not in self.actions for key in signature.actions):
                return space.false
        if "clauses" in parts:
            for clause, where in self.clauses.items():
                node &= where if clause in signature.clauses else ~where
            if any(clause not in self.clauses for clause in signature.clauses):
                return space.false
        if "deadline" in parts:
            node &= self.deadlines.get(signature.deadline, space.false)
        return node

    def rules_deciding(self, values: Mapping[str, Any]) -> list[str]:
        """Ids of the rules that fire at a point, in file order."""
        at = self.space.encode(values)
        return [rid for rid, node in self.fired.items()
                if self.space.bdd.let(at, node) == self.space.true]


def differ(old: Semantics, new: Semantics, parts: Iterable[str] = PARTS) -> Function:
    """Every subject on which the two policies' decisions differ, on the given parts."""
    space = old.space
    node = space.false
    for name in parts:
        mine, theirs = old.part(name), new.part(name)
        for key in set(mine) | set(theirs):
            node |= space.xor(old.at(name, key), new.at(name, key))
    return node & space.valid
