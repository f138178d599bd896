"""A compiled policy as a durable_rules ruleset, and durable_rules' limits checked in words.

Pure data work, no import of `durable`: the loader checks limits for every policy (so `lint`
says what would break the default engine) without starting the engine.

Limits measured on durable-rules 2.0.28 (each pinned by a test):

- one rule may hold at most 15 `$and`/`$or` groups: every group takes two of the 32 slots of a
  rule's expression sequence, and the 16th fails ruleset creation with a bare `error code 113`.
  Nested groups of the same kind are flattened first, so `all` inside `all` costs nothing;
- each test keeps its following tests in a 512-slot open-addressing table, and a full table
  loops forever (at creation from 513 distinct followers, at the first fact from 512): the
  distinct tests of one subject kind are held to at most 511, which bounds every table;
- a fact has at most 255 properties (it carries one per tested key, plus `kind`, `sid`, `id`);
- numbers are compared as doubles, so integers beyond 2**53 - 1 would compare differently from
  Python: a policy may not write one.

Sparse facts. Most tested keys are labels compared with `true`/`false`, and most labels are
false; a fact carrying all of them costs the engine a kilobyte of JSON to parse and to copy into
every rule result. So a key that rules only ever compare with a boolean (`eq`/`ne`) is left out
of the fact when its value equals `False`, and each such test is written on presence instead:
`k == false` is `$nex` (absent), `k != false` is `$ex` (present), `k == true` is unchanged (an
absent key never matches), `k != true` is "absent, or present and not true". All four mean
exactly what Python's `==`/`!=` mean over the value, whatever its type. A tested value is
never null (fields a condition may test are enums, booleans and counts; an optional field is
tested only by `present`, a boolean; derived facts are booleans or enum values), so durable's
one mismatch with Python there, `null != true` never matching, cannot arise from a policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..conditions import atoms
from ..policy.compiler import evaluated_rules

MAX_GROUPS_PER_RULE = 15
MAX_DISTINCT_TESTS = 511
MAX_PROPERTIES = 255
MAX_EXACT_INT = 2**53 - 1
_OPERATORS = {"ne": "$neq", "lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte"}


def fact_key(key: str) -> str:
    """Flat fact key as the engine sees it: dots would be read as nested paths."""
    return key.replace(".", "__")


def _condition(ir: dict[str, Any], sparse: frozenset[str] = frozenset()
               ) -> dict[str, Any] | bool:
    """The durable condition of an IR condition; `True`/`False` when it is constant.

    Groups of the same kind are flattened (durable_rules counts every group against a small
    limit) and a one-part group is its part. Keys in `sparse` are tested on presence (see the
    module notes)."""
    for word, operator, neutral in (("all", "$and", True), ("any", "$or", False)):
        if word in ir:
            parts: list[dict[str, Any]] = []
            for part in ir[word]:
                condition = _condition(part, sparse)
                if condition is (not neutral):
                    return not neutral  # a false part of an `all`, a true part of an `any`
                if condition is neutral:
                    continue
                assert isinstance(condition, dict)
                parts.extend(condition[operator] if list(condition) == [operator]
                             else [condition])
            if not parts:
                return neutral
            return parts[0] if len(parts) == 1 else {operator: parts}
    key, op, value = fact_key(ir["key"]), ir["op"], ir["value"]
    if ir["key"] in sparse:
        if value is False:
            return {"$nex" if op == "eq" else "$ex": {key: 1}}
        if op == "ne":  # `!= true`: absent (the value equals False), or present and not true
            return {"$or": [{"$nex": {key: 1}}, {"$neq": {key: True}}]}
    if op == "eq":
        return {key: value}
    return {_OPERATORS[op]: {key: value}}


def sparse_keys(rules: list[dict[str, Any]]) -> frozenset[str]:
    """The keys `rules` only ever compare with a boolean, by `eq` or `ne`: a fact can leave
    them out when their value equals `False`."""
    ops: dict[str, bool] = {}
    for rule in rules:
        for atom in atoms(rule["when"]):
            if "key" in atom:
                boolean = atom["op"] in ("eq", "ne") and isinstance(atom["value"], bool)
                ops[atom["key"]] = ops.get(atom["key"], True) and boolean
    return frozenset(key for key, boolean in ops.items() if boolean)


@dataclass(frozen=True, slots=True)
class Plan:
    """The ruleset for durable_rules, with what each of its rule names stands for.

    Rules are named `r0`, `r1`, ... so a result names its rule in plain ASCII whatever a policy
    calls it; `rules[i]` is `(kind, rule id)`, with rule id None for a kind's sentinel, a rule
    that matches every fact of the kind (so no fact goes unhandled, and evaluation is proved)."""

    definition: dict[str, dict[str, Any]]
    rules: tuple[tuple[str, str | None], ...]
    keys: dict[str, tuple[str, ...]]  # per kind, the IR fact keys its rules test
    #: per kind, the keys left out of a fact when their value equals False (empty unless sparse)
    sparse: dict[str, frozenset[str]]


def plan(ir: dict[str, Any], sparse: bool = False) -> Plan:
    """The ruleset for `ir`: over complete facts, or over sparse ones (see the module notes)."""
    definition: dict[str, dict[str, Any]] = {}
    rules: list[tuple[str, str | None]] = []
    keys: dict[str, tuple[str, ...]] = {}
    omitted: dict[str, frozenset[str]] = {}

    def add(kind: str, rule_id: str | None, condition: dict[str, Any]) -> None:
        definition[f"r{len(rules)}"] = {"all": [{"m": condition}]}
        rules.append((kind, rule_id))

    for kind in ir["kinds"]:
        evaluated = evaluated_rules(ir, kind)
        if not evaluated and "not_covered" in ir["kinds"][kind]:
            continue
        add(kind, None, {"kind": kind})
        tested: dict[str, None] = {}
        omitted[kind] = sparse_keys(evaluated) if sparse else frozenset()
        for rule in evaluated:
            condition = _condition(rule["when"], omitted[kind])
            if condition is False:
                continue  # can never hold: the reference engine never fires it either
            for atom in atoms(rule["when"]):
                if "key" in atom:
                    tested[atom["key"]] = None
            # The `kind` test is the positive first test every rule needs (a rule of bare
            # negations, or one on a top-level `id`/`sid`, hangs the engine).
            parts = [] if condition is True else (
                condition["$and"] if list(condition) == ["$and"] else [condition])
            add(kind, rule["id"], {"$and": [{"kind": kind}, *parts]} if parts else {"kind": kind})
        keys[kind] = tuple(tested)
    return Plan(definition, tuple(rules), keys, omitted)


def ruleset_definition(ir: dict[str, Any], sparse: bool = False) -> dict[str, dict[str, Any]]:
    """The durable_rules JSON ruleset for a compiled policy (it needs no actions): over
    complete facts, or over the sparse facts the adapter asserts."""
    return plan(ir, sparse).definition


@dataclass(frozen=True, slots=True)
class LimitProblem:
    """Something in a policy that durable_rules cannot run, in words, with what to change."""

    message: str
    hint: str
    kind: str | None = None
    rule_id: str | None = None

    def __str__(self) -> str:
        return self.message


def _groups(condition: Any) -> int:
    if isinstance(condition, dict):
        own = 1 if list(condition) in (["$and"], ["$or"]) else 0
        return own + sum(_groups(value) for value in condition.values())
    if isinstance(condition, list):
        return sum(_groups(value) for value in condition)
    return 0


def check_limits(ir: dict[str, Any]) -> list[LimitProblem]:
    """Problems that would make durable_rules fail, hang or compare differently, in words."""
    problems: list[LimitProblem] = []
    built = plan(ir, sparse=True)  # what the adapter builds
    reference = "engine='reference' has no such limit"
    for name, (kind, rule_id) in zip(built.definition, built.rules, strict=True):
        groups = _groups(built.definition[name]["all"][0]["m"])
        if rule_id is not None and groups > MAX_GROUPS_PER_RULE:
            problems.append(LimitProblem(
                f"{kind} rule `{rule_id}` has {groups} all/any groups once compiled; "
                f"durable_rules accepts at most {MAX_GROUPS_PER_RULE} in one rule (beyond that "
                "it fails with a bare `error code 113`)",
                "split the rule into several rules that cite the same clauses, or list "
                f"alternatives with fewer `any:` groups; {reference}", kind, rule_id))
    for kind in built.keys:
        evaluated = evaluated_rules(ir, kind)
        distinct = {(atom.get("key"), atom.get("op"), repr(atom.get("value")))
                    for rule in evaluated for atom in atoms(rule["when"])}
        if len(distinct) > MAX_DISTINCT_TESTS:
            problems.append(LimitProblem(
                f"the {kind} rules make {len(distinct)} distinct tests; durable_rules hangs "
                f"when more than {MAX_DISTINCT_TESTS} distinct tests follow one test, so it "
                f"accepts at most {MAX_DISTINCT_TESTS} per subject kind",
                f"compare with ranges (`ge:`/`lt:`) instead of listing values with `in:`, or "
                f"merge rules; {reference}", kind))
        if len(built.keys[kind]) + 3 > MAX_PROPERTIES:
            problems.append(LimitProblem(
                f"the {kind} rules test {len(built.keys[kind])} different facts; a "
                f"durable_rules fact holds at most {MAX_PROPERTIES} properties, 3 of them "
                "the adapter's own", f"test fewer labels and fields; {reference}", kind))
        for rule in evaluated:
            for atom in atoms(rule["when"]):
                value = atom.get("value")
                if (isinstance(value, int | float) and not isinstance(value, bool)
                        and abs(value) > MAX_EXACT_INT):
                    problems.append(LimitProblem(
                        f"{kind} rule `{rule['id']}` compares `{atom['key']}` with {value}, "
                        f"beyond the integers durable_rules compares exactly (at most "
                        f"{MAX_EXACT_INT:,} either side of zero)",
                        "use a smaller threshold: subject counts are capped at the same bound",
                        kind, rule["id"]))
    return problems
