"""Why this outcome and why not another: every rule of a subject's kind, with the conditions
that held and those that did not.

Traces evaluate the policy's condition AST over the same flat facts the engines see, so an
explanation can be checked against the engine's own answer (`Policy.explain` does).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .conditions import (
    AllOf,
    AnyOf,
    Condition,
    FieldTest,
    HasFact,
    HasLabel,
    Not,
    evaluate,
    key_of,
)
from .decision import Decision
from .policy.model import Rule
from .render import explanation_html

_OPS = {"eq": "=", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=", "in": "in",
        "present": "present"}


@dataclass(frozen=True, slots=True)
class Trace:
    """One node of a condition, whether it held, and (for atoms) the subject's actual value.

    Attributes:
        text: the node as readable text, with the subject's value for a field or fact test.
        held: whether this node held for the subject.
        parts: the traces of an `all`, `any` or `not` node's parts; empty for a single test.
    """

    text: str
    held: bool
    parts: tuple[Trace, ...] = ()

    def lines(self, depth: int = 0) -> list[str]:
        """The trace as indented `[yes]`/`[no ]` lines, one per node, as `str()` shows it."""
        mark = "yes" if self.held else "no "
        out = [f"{'    ' * depth}[{mark}] {self.text}"]
        for part in self.parts:
            out += part.lines(depth + 1)
        return out


def trace(condition: Condition, facts: Mapping[str, Any]) -> Trace:
    """Evaluate `condition` over `facts`, keeping every intermediate result."""
    if isinstance(condition, AllOf | AnyOf):
        parts = tuple(trace(part, facts) for part in condition.parts)
        conjunctive = isinstance(condition, AllOf)
        held = all(p.held for p in parts) if conjunctive else any(p.held for p in parts)
        return Trace("all of" if conjunctive else "any of", held, parts)
    if isinstance(condition, Not):
        inner = trace(condition.part, facts)
        return Trace("not", not inner.held, (inner,))
    actual = facts[key_of(condition)]
    if isinstance(condition, HasLabel):
        return Trace(f"label `{condition.label}`", bool(actual))
    if isinstance(condition, HasFact) and condition.value is True:
        return Trace(f"fact `{condition.fact}` (derived)", bool(actual))
    return _field_trace(condition, actual)


def _field_trace(test: FieldTest | HasFact, actual: Any) -> Trace:
    op, expected = test.op, test.value
    name = f"fact {test.fact}" if isinstance(test, HasFact) else test.path
    if op == "in":
        held = actual in expected
    elif op == "present":
        held = actual == expected
    else:
        held = evaluate({"key": "value", "op": op, "value": expected}, {"value": actual})
    shown = list(expected) if op == "in" else expected
    return Trace(f"{name} {_OPS[op]} {shown!r} (is {actual!r})", bool(held))


@dataclass(frozen=True, slots=True)
class RuleTrace:
    """One rule in an explanation: whether it fired, and its condition traced over the subject.

    Attributes:
        rule: the rule as the policy file writes it.
        fired: whether its condition held for the subject.
        condition: the condition's trace, every part marked held or not.
    """

    rule: Rule
    fired: bool
    condition: Trace


@dataclass(frozen=True, slots=True)
class Explanation:
    """A decision with, for every rule of the subject's kind, why it did or did not fire.

    Attributes:
        decision: the decision itself, as `Policy.decide` gives it.
        rules: one `RuleTrace` per rule of the subject's kind, in the policy's order.
        scope: the policy's scope condition traced over the subject, when the kind has one.
        note: why no rule was traced (the policy has no rules for the subject's kind), else
            `None`.
    """

    decision: Decision
    rules: list[RuleTrace] = field(default_factory=list)
    scope: Trace | None = None
    note: str | None = None

    @property
    def fired(self) -> list[str]:
        """Ids of the rules that fired, in the policy's order."""
        return [t.rule.id for t in self.rules if t.fired]

    def __str__(self) -> str:
        lines = [self.decision.summary(), ""]
        if self.note:
            lines.append(self.note)
        if self.scope is not None:
            lines.append("scope:")
            lines += self.scope.lines(1)
        for item in self.rules:
            verdict = "FIRED" if item.fired else "did not fire"
            cites = ", ".join(item.rule.cites)
            lines.append(f"rule {item.rule.id} -> {item.rule.outcome} [{cites}]: {verdict}")
            lines += item.condition.lines(1)
        return "\n".join(lines)

    def _repr_html_(self) -> str:  # notebooks: fired rules first, the rest folded
        return explanation_html(self)
