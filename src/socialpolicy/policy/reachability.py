"""Static analysis of compiled conditions: can a rule ever fire, and does another rule already
say everything it says?

Conditions are in negation normal form over keys with small domains (booleans, enums,
non-negative integers), so satisfiability is decided by expanding to disjunctive normal form and
checking each conjunction key by key. The expansion is bounded: a condition whose normal form
would have more than `LIMIT` conjunctions (24 "any of two labels" tests make 16 million) is not
expanded at all, and the answer is "unsure" (satisfiable, not implied: never a false alarm), so
the analysis costs at most `LIMIT` conjunctions per question however a rule is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..conditions import IR
from ..subjects import CONDITION_FIELDS
from ..vocab import ENUM_FACTS, SubjectKind

LIMIT = 20_000
Atom = dict[str, Any]


def _conjunctions(ir: IR) -> Iterator[list[Atom]]:
    if "all" in ir:
        yield from _product([list(_conjunctions(part)) for part in ir["all"]])
    elif "any" in ir:
        for part in ir["any"]:
            yield from _conjunctions(part)
    else:
        yield [ir]


def _product(options: list[list[list[Atom]]]) -> Iterator[list[Atom]]:
    if not options:
        yield []
        return
    for head in options[0]:
        for tail in _product(options[1:]):
            yield head + tail


@dataclass(frozen=True, slots=True)
class _Domain:
    kind: str  # bool | enum | int
    choices: tuple[Any, ...] = ()


def _domain(kind: SubjectKind, key: str) -> _Domain:
    if key.startswith("field."):
        spec = CONDITION_FIELDS[kind][key.removeprefix("field.")]
        if spec.type == "enum":
            return _Domain("enum", spec.choices)
        if spec.type == "int":
            return _Domain("int")
    choices = ENUM_FACTS.get(key.removeprefix("fact.")) if key.startswith("fact.") else None
    if choices is not None:
        return _Domain("enum", choices)
    return _Domain("bool", (True, False))


def _consistent(kind: SubjectKind, atoms: list[Atom]) -> bool:
    by_key: dict[str, list[Atom]] = {}
    for atom in atoms:
        by_key.setdefault(atom["key"], []).append(atom)
    for key, tests in by_key.items():
        domain = _domain(kind, key)
        if domain.kind == "int":
            low, high, excluded = 0, None, set()
            for t in tests:
                v, op = t["value"], t["op"]
                if op == "eq":
                    low, high = max(low, v), v if high is None else min(high, v)
                elif op == "ne":
                    excluded.add(v)
                elif op in ("gt", "ge"):
                    low = max(low, v + 1 if op == "gt" else v)
                else:
                    bound = v - 1 if op == "lt" else v
                    high = bound if high is None else min(high, bound)
            if high is not None and (high < low or all(
                    n in excluded for n in range(low, high + 1))):
                return False
            continue
        allowed = set(domain.choices)
        for t in tests:
            allowed = allowed & {t["value"]} if t["op"] == "eq" else allowed - {t["value"]}
        if not allowed:
            return False
    return True


def size(ir: IR, cap: int = LIMIT + 1) -> int:
    """How many conjunctions the normal form of `ir` has, counted without expanding it (stops
    counting at `cap`)."""
    if "all" in ir:
        total = 1
        for part in ir["all"]:
            total = min(cap, total * size(part, cap))
        return total
    if "any" in ir:
        return min(cap, sum(size(part, cap) for part in ir["any"]))
    return 1


def within_budget(ir: IR) -> bool:
    """Whether the analysis of `ir` stays within `LIMIT` conjunctions."""
    return size(ir) <= LIMIT


def satisfiable(kind: SubjectKind, ir: IR) -> bool:
    """Whether some subject of `kind` makes the condition true (True when unsure)."""
    if not within_budget(ir):
        return True
    for count, conjunction in enumerate(_conjunctions(ir)):
        if count >= LIMIT or _consistent(kind, conjunction):
            return True
    return False


def implies(kind: SubjectKind, first: IR, negated_second: IR) -> bool:
    """Whether `first` can never hold while the second condition (given negated) fails;
    False when unsure."""
    both = {"all": [first, negated_second]}
    return within_budget(both) and not satisfiable(kind, both)
