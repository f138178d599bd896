"""The MSE ICB comment rules written for each peer engine that benchmarks/compare.py times.

Every peer decides from the same precomputed facts (socialpolicy's `derive` output: labels,
channel, out-of-hours, prior removals), each reshaped once, untimed, into the input its library
expects. Rule peers are built from the policy's compiled IR, so they always hold the same rules
as socialpolicy, but each in its own library's idiom, compiled or loaded once:

- Cedar (`cedarpy`): one `permit ... when { ... }` policy per rule; the answer's reasons name
  the rules that fired.
- GoRules ZEN (`zen-engine`): a JDM decision graph (input, one decision table with the `collect`
  hit policy, output); one table row per way a rule can match (its conditions in disjunctive
  normal form), one column per fact, the row's output the rule id; handed to the engine's
  loader, which compiles it once, and asked per call or in one `evaluate_batch`.
- rule-engine: one `rule_engine.Rule` per rule, in its expression language, every fact a symbol
  of its own (`personal_details and channel != "direct_message"`).
- business-rules: a variables class and an actions class, one JSON-able rule per comment rule
  whose action records the rule id, run with `run_all`.

A peer's `decide` is the library's own call (timed); `fired` reads its answer as rule ids
(untimed, for the agreement check). A builder imports its library, so a missing one raises
ImportError naming it (they come with the `bench` extra).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, get_args

import socialpolicy as sp
from socialpolicy.vocab import COMMENT_LABELS, DEFAULT_PLATFORM_CAPABILITIES, CommentChannel

Facts = Mapping[str, Any]
Leaf = tuple[str, str, Any]  # (fact key, operator, value): one IR test


@dataclass(frozen=True)
class Peer:
    """One peer engine holding the policy's comment rules, compiled once."""

    name: str
    prepare: Callable[[Facts], Any]  # socialpolicy's facts -> this library's input (untimed)
    decide: Callable[[Any], Any]  # one subject: the library's own answer (timed)
    fired: Callable[[Any], set[str]]  # that answer as the ids of the rules that fired
    decide_batch: Callable[[list[Any]], list[Any]] | None = None  # where the library has one
    call: str = "per call"  # how the benchmark table names the per-call row
    batch: str = "batch"  # and the batch row


def comment_rules(policy: sp.Policy) -> list[dict[str, Any]]:
    return list(policy.ir["kinds"]["comment"]["rules"])


def combine(policy: sp.Policy, fired: set[str], platform: str) -> str:
    """The outcome from a fired set, as socialpolicy combines it (used for peers' answers)."""
    can = DEFAULT_PLATFORM_CAPABILITIES.get(platform, frozenset({"hide", "delete"}))
    scale = ["leave", "hide", "delete"]
    best = "leave"
    for rule in policy.rules:
        if rule.id not in fired:
            continue
        outcome = str(rule.outcome)
        if outcome in ("hide", "delete") and outcome not in can and rule.if_unavailable:
            outcome = str(rule.if_unavailable.outcome)
        best = max(best, outcome, key=scale.index)
    return best


def _leaf(ir: Mapping[str, Any]) -> Leaf:
    if set(ir) != {"key", "op", "value"}:
        raise ValueError(f"peers translate all/any and key/op/value tests only, not {ir}")
    return ir["key"], ir["op"], ir["value"]


def _one_of(parts: list[Mapping[str, Any]]) -> Leaf | None:
    """An `any` of equality tests on one key, as a single `in` test (a list of values)."""
    if len(parts) > 1 and all(set(p) == {"key", "op", "value"} and p["op"] == "eq"
                              for p in parts) and len({p["key"] for p in parts}) == 1:
        return parts[0]["key"], "in", [p["value"] for p in parts]
    return None


def _symbol(key: str) -> str:
    """A fact key as a plain name: `field.channel` -> `channel`, `fact.out_of_hours` -> ..."""
    return key.split(".", 1)[1]


def plain(facts: Facts) -> dict[str, Any]:
    """Facts as a plain record: the true labels as a set, every other fact by its own name."""
    record: dict[str, Any] = {"labels": {k[6:] for k, v in facts.items()
                                         if k.startswith("label.") and v}}
    record.update((_symbol(k), v) for k, v in facts.items() if "." in k
                  and not k.startswith("label."))
    return record


# ---- Cedar: each rule a `permit` policy over the request context ------------------------------

_OPS = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def _literal(value: Any) -> str:
    return json.dumps(value)  # true/false, "text" and numbers read the same in all three


def _cedar(ir: Mapping[str, Any]) -> str:
    if "all" in ir or "any" in ir:
        joiner, parts = (" && ", ir["all"]) if "all" in ir else (" || ", ir["any"])
        return "(" + joiner.join(_cedar(part) for part in parts) + ")"
    key, op, value = _leaf(ir)
    return f'(context["{key}"] {_OPS[op]} {_literal(value)})'


def cedar(policy: sp.Policy) -> Peer:
    import cedarpy

    rules = comment_rules(policy)
    text = "\n".join(f"permit(principal, action, resource) when {{ {_cedar(r['when'])} }};"
                     for r in rules)
    ids = [r["id"] for r in rules]
    policies = cedarpy.PolicySet.from_str(text)  # parsed once, reused
    entities = cedarpy.Entities.from_json_str("[]")

    def prepare(facts: Facts) -> dict[str, Any]:
        context = {k: v for k, v in facts.items() if v is not None and k != "kind"}
        return {"principal": 'User::"moderator"', "action": 'Action::"decide"',
                "resource": 'Comment::"c"', "context": context}

    return Peer("Cedar via cedarpy", prepare,
                lambda request: cedarpy.is_authorized(request, policies, entities),
                lambda answer: {ids[int(p.removeprefix("policy"))]
                                for p in answer.diagnostics.reasons},
                lambda requests: cedarpy.is_authorized_batch(requests, policies, entities),
                "is_authorized per call", "is_authorized_batch")


# ---- GoRules ZEN: a JDM decision graph with one collect decision table -------------------------


def _dnf(ir: Mapping[str, Any]) -> list[list[Leaf]]:
    """A condition as the conjunctions any one of which satisfies it (table rows)."""
    if "all" in ir:
        rows: list[list[Leaf]] = [[]]
        for part in ir["all"]:
            rows = [row + more for row in rows for more in _dnf(part)]
        return rows
    if "any" in ir:
        merged = _one_of(ir["any"])
        return [[merged]] if merged else [row for part in ir["any"] for row in _dnf(part)]
    return [[_leaf(ir)]]


def _possible(row: list[Leaf]) -> bool:
    """False for a row that requires one fact to equal two different values."""
    wanted: dict[str, Any] = {}
    for key, op, value in row:
        if op == "eq" and wanted.setdefault(key, value) != value:
            return False
    return all(op != "in" or key not in wanted or wanted[key] in value
               for key, op, value in row)


def _cell(tests: list[Leaf]) -> str:
    """A ZEN unary expression (`$` is the column's value) holding every test of one column."""
    if len(tests) == 1:
        _, op, value = tests[0]
        if op == "eq":
            return _literal(value)
        if op == "in":
            return ", ".join(_literal(v) for v in value)
        return f"{_OPS[op]} {_literal(value)}"
    return " and ".join(f"$ in [{', '.join(_literal(v) for v in value)}]" if op == "in"
                        else f"$ {_OPS[op]} {_literal(value)}" for _, op, value in tests)


def zen_graph(policy: sp.Policy) -> dict[str, Any]:
    """The comment rules as a JDM decision graph (what the GoRules editor saves)."""
    rows = [(rule["id"], row) for rule in comment_rules(policy)
            for row in _dnf(rule["when"]) if _possible(row)]
    columns = sorted({key for _, row in rows for key, _, _ in row})
    inputs = [{"id": f"in-{key}", "name": key, "field": key} for key in columns]
    table_rows = []
    for number, (rule_id, row) in enumerate(rows):
        cells = {f"in-{key}": _cell([t for t in row if t[0] == key]) for key in columns
                 if any(t[0] == key for t in row)}
        table_rows.append({"_id": f"row-{number}", **{c["id"]: "" for c in inputs}, **cells,
                           "out-rule": _literal(rule_id)})
    table = {"hitPolicy": "collect", "inputs": inputs, "rules": table_rows,
             "outputs": [{"id": "out-rule", "name": "Rule", "field": "rule"}]}
    return {"contentType": "application/vnd.gorules.decision", "nodes": [
        {"id": "request", "type": "inputNode", "name": "Comment", "position": {"x": 0, "y": 0}},
        {"id": "rules", "type": "decisionTableNode", "name": f"{policy.id} comment rules",
         "position": {"x": 300, "y": 0}, "content": table},
        {"id": "response", "type": "outputNode", "name": "Fired", "position": {"x": 600, "y": 0}},
    ], "edges": [{"id": "e1", "type": "edge", "sourceId": "request", "targetId": "rules"},
                 {"id": "e2", "type": "edge", "sourceId": "rules", "targetId": "response"}]}


def nested(facts: Facts) -> dict[str, dict[str, Any]]:
    """Facts as the nested object a JDM field path reads (`label.spam` is label -> spam)."""
    context: dict[str, dict[str, Any]] = {}
    for key, value in facts.items():
        if "." in key:
            group, name = key.split(".", 1)
            context.setdefault(group, {})[name] = value
    return context


def zen(policy: sp.Policy) -> Peer:
    import zen as zen_engine

    key = f"{policy.id}-comments.json"
    graph = zen_graph(policy)
    # The graph handed to the engine's loader, which compiles it once and keeps it: the way the
    # ZEN docs recommend for speed. (A `create_decision` handle's own `evaluate` was several
    # times slower per call on zen-engine 2.1.)
    engine = zen_engine.ZenEngine({"loader": {"type": "static", "content": {key: graph}}})

    def batch(contexts: list[Any]) -> list[Any]:
        return engine.evaluate_batch([{"key": key, "context": c} for c in contexts])

    def fired(answer: Mapping[str, Any]) -> set[str]:
        if "success" in answer:  # a batch result wraps the response
            if not answer["success"]:
                raise RuntimeError(f"ZEN evaluate_batch failed: {answer.get('error')}")
            answer = answer["data"]
        return {row["rule"] for row in answer["result"]}

    def decide(context: Any) -> Any:
        return engine.evaluate(key, context)

    return Peer("GoRules ZEN decision table", nested, decide, fired, batch,
                "engine.evaluate per call", "evaluate_batch")


# ---- rule-engine: one Rule per comment rule over a typed context -------------------------------


def flat(facts: Facts) -> dict[str, Any]:
    """Facts as one record of plain names: `label.spam` -> `spam`, `field.channel` -> ..."""
    record = {_symbol(k): v for k, v in facts.items() if "." in k}
    if len(record) != len(facts) - ("kind" in facts):
        raise ValueError("two facts share a name once their prefixes are dropped")
    return record


def _rule_text(ir: Mapping[str, Any]) -> str:
    if "all" in ir or "any" in ir:
        merged = None if "all" in ir else _one_of(ir["any"])
        if merged is None:
            joiner, parts = (" and ", ir["all"]) if "all" in ir else (" or ", ir["any"])
            return "(" + joiner.join(_rule_text(part) for part in parts) + ")"
        key, op, value = merged
    else:
        key, op, value = _leaf(ir)
    name = _symbol(key)
    if op == "eq" and isinstance(value, bool):
        return name if value else f"not {name}"
    if op == "in":
        return f"{name} in [{', '.join(_literal(v) for v in value)}]"
    return f"{name} {_OPS[op]} {_literal(value)}"


def _leaves(ir: Mapping[str, Any]) -> list[Leaf]:
    parts = ir.get("all") or ir.get("any")
    return [leaf for part in parts for leaf in _leaves(part)] if parts else [_leaf(ir)]


def rule_engine(policy: sp.Policy) -> Peer:
    import rule_engine as engine

    # The default context, as the library's own examples use it: a type-hinted one checks every
    # symbol's value on every evaluation and cost a third more here, for nothing these facts need.
    rules = [(r["id"], engine.Rule(_rule_text(r["when"]))) for r in comment_rules(policy)]

    def decide(thing: Mapping[str, Any]) -> set[str]:
        return {rule_id for rule_id, rule in rules if rule.matches(thing)}

    return Peer("rule-engine", flat, decide, lambda answer: answer,
                call="one Rule per comment rule, matches per call")


# ---- business-rules: variables and actions classes, run_all ------------------------------------


def _condition(leaves: list[Mapping[str, Any]], group: str) -> dict[str, Any]:
    """An all/any group; its label tests folded into one set comparison where they can be."""
    value, operator = {"all": (False, "shares_no_elements_with"),
                       "any": (True, "shares_at_least_one_element_with")}[group]

    def foldable(part: Mapping[str, Any]) -> bool:
        return (set(part) == {"key", "op", "value"} and part["key"].startswith("label.")
                and part["op"] == "eq" and part["value"] is value)

    labels = [part["key"][6:] for part in leaves if foldable(part)]
    rest = [_business(part) for part in leaves if not foldable(part)]
    if len(labels) > 1:
        rest.insert(0, {"name": "labels", "operator": operator, "value": labels})
    elif labels:
        rest.insert(0, _business({"key": f"label.{labels[0]}", "op": "eq", "value": value}))
    return rest[0] if len(rest) == 1 else {group: rest}


def _business(ir: Mapping[str, Any]) -> dict[str, Any]:
    if "all" in ir or "any" in ir:
        group = "all" if "all" in ir else "any"
        return _condition(ir[group], group)
    key, op, value = _leaf(ir)
    if key.startswith("label."):
        operator = "contains_all" if value is True else "shares_no_elements_with"
        return {"name": "labels", "operator": operator, "value": [key[6:]]}
    if isinstance(value, bool):
        return {"name": _symbol(key), "operator": "is_true" if value else "is_false",
                "value": value}
    if isinstance(value, str):  # a choice from a closed list (a select variable)
        operator = {"eq": "contains", "ne": "does_not_contain"}[op]
        return {"name": _symbol(key), "operator": operator, "value": value}
    operator = {"eq": "equal_to", "lt": "less_than", "le": "less_than_or_equal_to",
                "gt": "greater_than", "ge": "greater_than_or_equal_to"}[op]
    return {"name": _symbol(key), "operator": operator, "value": value}


def business_rules(policy: sp.Policy) -> Peer:
    from business_rules import run_all
    from business_rules.actions import BaseActions, rule_action
    from business_rules.fields import FIELD_TEXT
    from business_rules.variables import (
        BaseVariables,
        boolean_rule_variable,
        numeric_rule_variable,
        select_multiple_rule_variable,
        select_rule_variable,
    )

    class CommentVariables(BaseVariables):
        def __init__(self, comment: Mapping[str, Any]) -> None:
            self.comment = comment

        @select_multiple_rule_variable(options=sorted(COMMENT_LABELS))
        def labels(self) -> set[str]:
            return self.comment["labels"]

        @select_rule_variable(options=list(get_args(CommentChannel)))
        def channel(self) -> list[str]:
            return [self.comment["channel"]]

        @numeric_rule_variable
        def author_prior_removals(self) -> int:
            return self.comment["author_prior_removals"]

        @boolean_rule_variable
        def out_of_hours(self) -> bool:
            return self.comment["out_of_hours"]

    class Fired(BaseActions):
        def __init__(self) -> None:
            self.rule_ids: set[str] = set()

        @rule_action(params={"rule_id": FIELD_TEXT})
        def fire(self, rule_id: str) -> None:
            self.rule_ids.add(rule_id)

    rules = [{"conditions": _business(r["when"]),
              "actions": [{"name": "fire", "params": {"rule_id": r["id"]}}]}
             for r in comment_rules(policy)]
    defined = {v["name"] for v in CommentVariables.get_all_variables()}
    wanted = {_symbol(k) if not k.startswith("label.") else "labels"
              for r in comment_rules(policy) for k, _, _ in _leaves(r["when"])}
    if wanted - defined:
        raise ValueError(f"business-rules peer: no variable for {sorted(wanted - defined)}; "
                         "add a method to CommentVariables")

    def decide(comment: Mapping[str, Any]) -> set[str]:
        actions = Fired()
        run_all(rule_list=rules, defined_variables=CommentVariables(comment),
                defined_actions=actions, stop_on_first_trigger=False)
        return actions.rule_ids

    return Peer("business-rules", plain, decide, lambda answer: answer,
                call="run_all per call")


ENGINES: dict[str, Callable[[sp.Policy], Peer]] = {
    "cedarpy": cedar, "zen-engine": zen, "rule-engine": rule_engine,
    "business-rules": business_rules,
}
