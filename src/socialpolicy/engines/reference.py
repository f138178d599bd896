"""The reference engine: the IR evaluated in pure Python, the oracle for the durable engine.

Each kind's rules are compiled once, at load, into one Python function: walking the IR tree on
every decision cost most of the engine's time. The generated source holds only operators and
indices into a tuple of constants, never a key or value from the policy file, so a policy can
not inject code. `conditions.evaluate` stays the semantic oracle: `fired_interpreted` uses it,
explanations use it, and the differential tests compare the two.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from ..conditions import evaluate
from ..policy.compiler import evaluated_rules

_OPS = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
FiredFunction = Callable[[Mapping[str, Any]], frozenset[str]]


class _Source:
    """Accumulates the constants the generated expression refers to by index."""

    def __init__(self) -> None:
        self.constants: list[Any] = []

    def const(self, value: Any) -> str:
        if not (value is None or isinstance(value, bool | int | float | str)):
            raise ValueError(f"cannot compile a condition value of type `{type(value).__name__}`")
        self.constants.append(value)
        return f"c[{len(self.constants) - 1}]"

    def expression(self, ir: Mapping[str, Any]) -> str:
        """The condition as a Python expression with the interpreter's short-circuit order."""
        if "all" in ir or "any" in ir:
            joiner, parts = (" and ", ir["all"]) if "all" in ir else (" or ", ir["any"])
            if not parts:
                return "True" if joiner == " and " else "False"
            return "(" + joiner.join(self.expression(part) for part in parts) + ")"
        op = _OPS.get(ir["op"])
        if op is None:
            raise ValueError(f"unknown operator `{ir['op']}` in compiled condition")
        return f"(f[{self.const(ir['key'])}] {op} {self.const(ir['value'])})"


def compile_rules(rules: list[dict[str, Any]]) -> FiredFunction:
    """One function returning the ids of `rules` whose conditions hold over a fact mapping."""
    source = _Source()
    lines = ["def fired(f):", "    out = []"]
    for rule in rules:
        test = source.expression(rule["when"])
        lines.append(f"    if {test}: out.append({source.const(rule['id'])})")
    lines.append("    return frozenset(out)")
    namespace: dict[str, Any] = {"c": tuple(source.constants)}
    exec(compile("\n".join(lines), "<socialpolicy rules>", "exec"), namespace)
    function: FiredFunction = namespace["fired"]
    return function


def _none(facts: Mapping[str, Any]) -> frozenset[str]:
    return frozenset()


class ReferenceEngine:
    name: Literal["reference"] = "reference"

    def __init__(self, ir: dict[str, Any]) -> None:
        self._rules = {kind: evaluated_rules(ir, kind) for kind in ir["kinds"]}
        self._compiled = {kind: compile_rules(rules) for kind, rules in self._rules.items()}

    def fired(self, facts: Mapping[str, Any]) -> frozenset[str]:
        return self._compiled.get(facts["kind"], _none)(facts)

    def fired_interpreted(self, facts: Mapping[str, Any]) -> frozenset[str]:
        """The same answer by walking the IR with `conditions.evaluate` (the oracle)."""
        rules = self._rules.get(facts["kind"], [])
        return frozenset(rule["id"] for rule in rules if evaluate(rule["when"], facts))

    def fire_many(self, facts: Sequence[Mapping[str, Any]]) -> list[frozenset[str]]:
        return [self.fired(one) for one in facts]
