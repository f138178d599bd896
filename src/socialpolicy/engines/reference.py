"""The reference engine: the IR evaluated in pure Python, the oracle for the durable engine.

Each kind's rules are compiled once, at load, into one Python function: walking the IR tree on
every decision cost most of the engine's time. The generated source holds only operators and
names bound to constants, never a key or value from the policy file, so a policy cannot
inject code. `conditions.evaluate` stays the semantic oracle: `fired_interpreted` uses it,
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
    """Accumulates the names the generated function binds: each fact key read once into a
    local, each constant passed as a default argument (fast local loads, no lookups)."""

    def __init__(self) -> None:
        self.constants: list[Any] = []
        self.keys: dict[str, str] = {}

    def const(self, value: Any) -> str:
        if not (value is None or isinstance(value, bool | int | float | str)):
            raise ValueError(f"cannot compile a condition value of type `{type(value).__name__}`")
        self.constants.append(value)
        return f"c{len(self.constants) - 1}"

    def key(self, key: Any) -> str:
        if not isinstance(key, str):
            raise ValueError(f"cannot compile a fact key of type `{type(key).__name__}`")
        if key not in self.keys:
            self.keys[key] = f"k{len(self.keys)}"
        return self.keys[key]

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
        return f"({self.key(ir['key'])} {op} {self.const(ir['value'])})"


def compile_rules(rules: list[dict[str, Any]]) -> FiredFunction:
    """One function returning the ids of `rules` whose conditions hold over a fact mapping.

    Every fact key the rules read is looked up once, up front (facts from `signals.derive`
    always hold every key of their kind), then each rule is one boolean expression."""
    source = _Source()
    body = []
    for rule in rules:
        test = source.expression(rule["when"])
        body.append(f"    if {test}: out.append({source.const(rule['id'])})")
    constants = [source.const(key) for key in source.keys]
    params = "".join(f", {name}={name}" for name in
                     (f"c{i}" for i in range(len(source.constants))))
    lines = [f"def fired(f{params}):", "    out = []",
             *(f"    {local} = f[{const}]"
               for local, const in zip(source.keys.values(), constants, strict=True)),
             *body, "    return frozenset(out)"]
    namespace: dict[str, Any] = {f"c{i}": value for i, value in enumerate(source.constants)}
    exec(compile("\n".join(lines), "<socialpolicy rules>", "exec"), namespace)
    function: FiredFunction = namespace["fired"]
    return function


def _none(facts: Mapping[str, Any]) -> frozenset[str]:
    return frozenset()


class ReferenceEngine:
    name: Literal["reference"] = "reference"
    batched = False  # evaluated in this process: a batch gains nothing

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

    def fire_each(self, facts: Sequence[Mapping[str, Any]]) -> list[frozenset[str] | Exception]:
        results: list[frozenset[str] | Exception] = []
        for one in facts:
            try:
                results.append(self.fired(one))
            except Exception as exc:
                results.append(exc)
        return results
