"""The durable_rules engine: the only module that imports `durable` (DESIGN 7).

durable_rules 2.0.28 has sharp edges; each is handled here and pinned by a test:

- events fire only the first matching rule, so subjects are asserted as *facts*;
- a fact no rule matches raises `MessageNotHandledException`: every kind gets a sentinel rule that
  always matches, which also proves the engine really evaluated the fact (never fail open);
- the same content asserted twice raises `MessageObservedException`: every fact carries a unique
  request number;
- exceptions inside actions are swallowed into the session state: actions only record a rule id,
  and the state is checked for an exception after every call;
- a condition on a top-level `id`/`sid` hangs, and so does a rule whose only condition is a
  negation: fact keys are namespaced (`label__x`, `field__y`) and every rule also tests `kind`;
- at most 1024 live sessions per ruleset, 32-bit session-id hashes that can collide, and double
  firing under threads: one session per decision, under one process-wide lock, deleted in
  `finally`, so at most one session is ever alive;
- ruleset names are global and permanent: rulesets are named by policy id and IR digest, and a
  policy loaded twice reuses its registration;
- its regex dialect and `in` are unusable: conditions arrive as booleans, enums and integers only;
- an action with two positional parameters is run as async and abandoned: actions take one;
- a rule whose condition is an `$or` fires once per branch that matches: fired ids are a set.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from ..conditions import atoms
from ..errors import EngineError
from ..policy.compiler import evaluated_rules

try:
    from durable import engine as _engine
except ImportError as exc:  # durable_rules does not import on Python 3.13+
    _engine = None
    _IMPORT_ERROR: ImportError | None = exc
else:
    _IMPORT_ERROR = None

MAX_PROPERTIES = 255  # facts with more properties are rejected by the engine
MAX_FIRST_LEVEL_TESTS = 512  # more distinct tests than this hang the engine
SENTINEL = "socialpolicy__seen"

_LOCK = threading.Lock()
_REQUESTS = itertools.count(1)
_HOST: Any = None
_REGISTERED: set[str] = set()


class _Recording:
    """Where actions write the ids of the rules that fired, for the one decision in flight."""

    fired: list[str] | None = None


def _recorder(rule_id: str) -> Callable[[Any], None]:
    def record(closure: Any) -> None:  # exactly one parameter: two would make it async
        if _Recording.fired is None:
            raise RuntimeError(f"rule `{rule_id}` fired outside a decision")
        _Recording.fired.append(rule_id)

    return record


def fact_key(key: str) -> str:
    """Flat fact key as the engine sees it: dots would be read as nested paths."""
    return key.replace(".", "__")


def _condition(ir: dict[str, Any]) -> dict[str, Any]:
    if "all" in ir:
        return {"$and": [_condition(part) for part in ir["all"]]}
    if "any" in ir:
        return {"$or": [_condition(part) for part in ir["any"]]}
    key, op, value = fact_key(ir["key"]), ir["op"], ir["value"]
    if op == "eq":
        return {key: value}
    operator = {"ne": "$neq", "lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte"}[op]
    return {operator: {key: value}}


def ruleset_definition(ir: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The durable_rules JSON ruleset for a compiled policy (actions not yet attached)."""
    rules: dict[str, dict[str, Any]] = {}
    for kind in ir["kinds"]:
        evaluated = evaluated_rules(ir, kind)
        if not evaluated and "not_covered" in ir["kinds"][kind]:
            continue
        rules[f"{SENTINEL}__{kind}"] = {"all": [{"m": {"kind": kind}}]}
        for rule in evaluated:
            name = f"{kind}__{rule['id']}"
            # The `kind` test is the positive condition every rule needs.
            rules[name] = {"all": [{"m": {"$and": [{"kind": kind}, _condition(rule["when"])]}}]}
    return rules


def check_limits(ir: dict[str, Any]) -> list[str]:
    """Problems that would make durable_rules hang or reject facts, in plain words."""
    tests = {json.dumps(atom, sort_keys=True)
             for kind in ir["kinds"] for rule in evaluated_rules(ir, kind)
             for atom in atoms(rule["when"])}
    problems = []
    if len(tests) > MAX_FIRST_LEVEL_TESTS:
        problems.append(f"{len(tests)} distinct tests exceed durable_rules' limit of "
                        f"{MAX_FIRST_LEVEL_TESTS}")
    return problems


class DurableEngine:
    name: Literal["durable"] = "durable"

    def __init__(self, ir: dict[str, Any]) -> None:
        if _engine is None:
            raise EngineError(
                f"the durable engine needs durable-rules==2.0.28, which is not importable here "
                f"({_IMPORT_ERROR}); use engine='reference'")
        problems = check_limits(ir)
        if problems:
            raise EngineError("; ".join(problems))
        digest = hashlib.sha256(json.dumps(ir, sort_keys=True).encode()).hexdigest()[:16]
        self.ruleset = f"socialpolicy_{ir['policy']['id']}_{digest}"
        self._kinds = {kind for kind in ir["kinds"] if "not_covered" not in ir["kinds"][kind]}
        definition = ruleset_definition(ir)
        self._names = {name: name.split("__", 1)[1] for name in definition
                       if not name.startswith(SENTINEL)}
        with _LOCK:
            global _HOST
            if _HOST is None:
                _HOST = _engine.Host()
            if self.ruleset not in _REGISTERED:
                for name, rule in definition.items():
                    rule["run"] = _recorder(name)
                _HOST.register_rulesets({self.ruleset: definition})
                _REGISTERED.add(self.ruleset)

    def fired(self, facts: Mapping[str, Any]) -> frozenset[str]:
        kind = facts["kind"]
        if kind not in self._kinds:
            return frozenset()
        if len(facts) + 2 > MAX_PROPERTIES:
            raise EngineError(f"a {kind} fact has {len(facts)} properties; durable_rules "
                              f"accepts at most {MAX_PROPERTIES}")
        with _LOCK:
            request = next(_REQUESTS)
            session = f"socialpolicy-{request}"
            fact = {fact_key(key): value for key, value in facts.items()}
            fact.update(sid=session, socialpolicy_request=request)
            recorded: list[str] = []
            _Recording.fired = recorded
            try:
                _HOST.assert_fact(self.ruleset, fact)
                state = _HOST.get_state(self.ruleset, session)
            except _engine.MessageNotHandledException as exc:
                raise EngineError(f"durable_rules matched no rule for a {kind} fact") from exc
            except _engine.MessageObservedException as exc:
                raise EngineError("durable_rules saw the same fact twice") from exc
            except Exception as exc:
                raise EngineError(f"durable_rules failed: {type(exc).__name__}: {exc}") from exc
            finally:
                _Recording.fired = None
                try:
                    _HOST.delete_state(self.ruleset, session)
                    leaked = None
                except Exception as exc:  # only a problem if the session was really created
                    leaked = exc
        if leaked is not None and recorded:
            raise EngineError(f"durable_rules could not delete session {session}: {leaked}")
        if state.get("exception"):
            raise EngineError(f"a durable_rules action failed: {state['exception']}")
        sentinel = f"{SENTINEL}__{kind}"
        # A rule with an `$or` fires once per matching branch, so repeats of a rule are normal;
        # the sentinel has no `$or` and must fire exactly once.
        if recorded.count(sentinel) != 1:
            raise EngineError(f"durable_rules fired {recorded!r}: the {kind} fact was not "
                              "evaluated exactly once")
        return frozenset(self._names[name] for name in recorded if name != sentinel)

    def fire_many(self, facts: Sequence[Mapping[str, Any]]) -> list[frozenset[str]]:
        return [self.fired(one) for one in facts]
