"""The durable_rules engine: the only module that imports `durable_rules_engine` (DESIGN 7).

durable_rules 2.0.28 has sharp edges; each is handled here and pinned by a test:

- its C extension is not safe against interruption, and its `Host` runs rule actions from two
  timer threads every 0.2 s outside any lock of ours: the adapter never builds a `Host`, so no
  timer exists, and drives the C engine directly, every call on one dedicated worker thread
  (`_worker`) that signals never interrupt. Callers wait on a future;
- deleting a session whose rule results are still queued aborts the process: every result is
  taken off the queue before its session is deleted, in the same job, on the worker;
- events fire only the first matching rule, so subjects are asserted as *facts*;
- a fact no rule matches is not handled: every kind gets a sentinel rule that always matches,
  which also proves the engine really evaluated the fact;
- the same content asserted twice is refused: every fact carries a unique request number;
- a condition on a top-level `id`/`sid` hangs, and so does a rule whose only condition is a
  negation: fact keys are namespaced (`label__x`, `field__y`) and every rule first tests `kind`;
- at most 1024 live sessions, 32-bit session hashes that can collide, double firing under
  threads: jobs run one at a time, and each ruleset has exactly one session, kept for its life
  (creating a session zeroes about 8 KB per rule, most of a decision's cost): each fact is
  asserted into it, its results drained, and the fact retracted before the next, so at most one
  fact is ever alive in it; session exhaustion cannot happen;
- a fact with a kilobyte of `false` labels is slow to parse and to copy into every result: facts
  are sparse, keys compared only with booleans left out when false (`_durable_rules`);
- a rule whose condition is an `$or` fires once per matching branch: fired ids are a set;
- a rule it silently skipped would be a lenient decision: the fired set is cross-checked against
  the pure-Python evaluation of the same IR, and any difference raises `EngineError`;
- the C engine can delete a ruleset (the `Host` cannot): a ruleset is shared by every engine
  over the same IR (keyed by digest) and deleted when the last is garbage-collected, so
  reloading an edited policy does not leak;
- a C error mid-decision may leave a ruleset inconsistent: it is retired (never touched again)
  and a fresh one is built for the next decision. So is one a forked child inherits: the
  parent's worker may have been mid-job when the process forked.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import threading
import weakref
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from ..errors import EngineError
from ._durable_rules import (
    MAX_PROPERTIES,
    LimitProblem,
    Plan,
    check_limits,
    fact_key,
    plan,
    ruleset_definition,
)
from ._worker import Worker
from .reference import ReferenceEngine

try:
    import durable_rules_engine as _engine
except ImportError as exc:  # durable_rules does not import on Python 3.13+
    _engine = None
    _IMPORT_ERROR: ImportError | None = exc
else:
    _IMPORT_ERROR = None

__all__ = ["MAX_PROPERTIES", "DurableEngine", "LimitProblem", "check_limits", "fact_key",
           "ruleset_definition"]

WORKER = Worker("socialpolicy-durable")
BATCH = 256  # facts per worker job: other threads' decisions interleave between jobs
_REQUESTS = itertools.count(1)
_HANDLED, _NOT_HANDLED, _OBSERVED = 0, 1, 2
_NONE: frozenset[str] = frozenset()
#: The one session of every ruleset. Sessions belong to a ruleset's handle, so the name can be
#: the same for all; a fact's `id` is unique in the process, which is what retraction finds.
SESSION = "sp"
_RETRACT = '{"sid":"' + SESSION + '","id":%d}'


class _Ruleset:
    """One compiled ruleset in the C engine and its session; touched only on the worker."""

    def __init__(self, name: str, built: Plan) -> None:
        self.name = name
        self.text = json.dumps(built.definition)
        self.handle: int | None = None
        self.retired = 0  # handles given up after a C error
        # The finaliser must not hold `self`: it reads the live handle from this shared list.
        self._box: list[int] = []
        finalizer = weakref.finalize(self, _release, self._box)
        finalizer.atexit = False  # at exit the process frees everything anyway
        _LIVE.add(self)

    def open(self) -> int:
        if self.handle is None:
            try:
                self.handle = int(_engine.create_ruleset(self.name, self.text))
            except Exception as exc:
                raise EngineError(f"durable_rules could not build the ruleset: {exc}; run "
                                  "`socialpolicy lint` on the policy for the limit it "
                                  "passes") from exc
            self._box[:] = [self.handle]
        return self.handle

    def retire(self) -> None:
        """Leak a handle that may be inconsistent rather than run or delete it again."""
        self.handle = None
        self._box.clear()
        self.retired += 1


def _release(box: list[int]) -> None:
    if box:
        WORKER.post(_delete_ruleset, box[0])


def _delete_ruleset(handle: int) -> None:
    # Deleting a ruleset frees its session table but not the sessions in it. There is no
    # session yet if the ruleset never decided anything.
    with contextlib.suppress(Exception):
        _engine.delete_state(handle, SESSION)
    _engine.delete_ruleset(handle)


_RULESETS: weakref.WeakValueDictionary[str, _Ruleset] = weakref.WeakValueDictionary()
_RULESETS_LOCK = threading.Lock()
_LIVE: weakref.WeakSet[_Ruleset] = weakref.WeakSet()


def _after_fork() -> None:
    """A forked child may have copied a session mid-job: it builds fresh rulesets."""
    for ruleset in list(_LIVE):
        if ruleset.handle is not None:
            ruleset.retire()


os.register_at_fork(after_in_child=_after_fork)


def _fire(ruleset: _Ruleset, batch: list[tuple[int, str]]) -> list[list[str] | EngineError]:
    """Assert each `(request, fact JSON)` in the ruleset's session and list the rules it fired,
    or the `EngineError` that fact met (the next fact then runs on a rebuilt ruleset).

    Runs on the worker. Each fact's results are all drained, then the fact is retracted, before
    the next fact is asserted: the session holds at most one fact, and none between jobs."""
    out: list[list[str] | EngineError] = []
    for request, fact in batch:
        try:
            out.append(_fire_one(ruleset, request, fact))
        except EngineError as exc:
            out.append(exc)
    return out


def _fire_one(ruleset: _Ruleset, request: int, fact: str) -> list[str]:
    handle = ruleset.open()
    names: list[str] = []
    try:
        code, state = _engine.assert_fact(handle, fact)
        result = _engine.start_action_for_state(handle, state)
        message = result[1] if result else None
        while message:
            # A result is `{"r12":{...}}`: the rule name is the first key.
            names.append(message[2:message.index('"', 2)])
            message = _engine.complete_and_start_action(handle, state)
        retracted = _engine.retract_fact(handle, _RETRACT % request)[0]
    except Exception as exc:
        ruleset.retire()
        raise EngineError(f"durable_rules failed: {exc}; the ruleset was rebuilt for the "
                          "next decision") from exc
    if code != _HANDLED or retracted != _HANDLED:
        ruleset.retire()  # the engine is not doing what it was built to: start afresh
        if code == _NOT_HANDLED:
            raise EngineError("durable_rules matched no rule for the fact, not even the "
                              "sentinel: it did not evaluate it")
        if code != _HANDLED:
            raise EngineError(f"durable_rules refused the fact (result code {code}"
                              f"{', already observed' if code == _OBSERVED else ''})")
        raise EngineError(f"durable_rules could not retract the fact (result code "
                          f"{retracted})")
    return names


class _Kind:
    """How a fact of one kind is written as JSON: the fragments of its keys, built once.

    `keys` holds, per tested key, its IR name, the text for `true`, the text for `false` (empty
    for a sparse key), the prefix for any other value, and whether the key is sparse."""

    __slots__ = ("head", "keys")

    def __init__(self, kind: str, keys: Sequence[str], sparse: frozenset[str]) -> None:
        self.head = '{"kind":' + json.dumps(kind) + ',"sid":"' + SESSION + '","id":'
        self.keys: list[tuple[str, str, str, str, bool]] = []
        for key in keys:
            prefix = "," + json.dumps(fact_key(key)) + ":"
            self.keys.append((key, prefix + "true", "" if key in sparse else prefix + "false",
                              prefix, key in sparse))


class DurableEngine:
    name: Literal["durable"] = "durable"
    batched = True  # one hop to the worker thread per batch instead of per fact

    def __init__(self, ir: dict[str, Any]) -> None:
        if _engine is None:
            raise EngineError(
                f"the durable engine needs durable-rules==2.0.28, which is not importable here "
                f"({_IMPORT_ERROR}); use engine='reference'")
        problems = check_limits(ir)
        if problems:
            raise EngineError("; ".join(str(problem) for problem in problems))
        digest = hashlib.sha256(json.dumps(ir, sort_keys=True).encode()).hexdigest()[:16]
        self.ruleset = f"socialpolicy_{ir['policy']['id']}_{digest}"
        built = plan(ir, sparse=True)
        self._rules = {f"r{i}": rule for i, rule in enumerate(built.rules)}
        self._kinds = {kind: _Kind(kind, keys, built.sparse[kind])
                       for kind, keys in built.keys.items()}
        self._oracle = ReferenceEngine(ir)
        with _RULESETS_LOCK:
            shared = _RULESETS.get(self.ruleset)
            if shared is None:
                shared = _RULESETS[self.ruleset] = _Ruleset(self.ruleset, built)
        self._compiled = shared
        WORKER.call(shared.open)  # build it now: a ruleset durable cannot build fails at load

    def _payload(self, facts: Mapping[str, Any]) -> tuple[int, str] | None:
        spec = self._kinds.get(facts["kind"])
        if spec is None:
            return None
        request = next(_REQUESTS)
        parts = [spec.head, str(request)]
        try:
            for key, true, false, prefix, sparse in spec.keys:
                value = facts[key]
                if value is True:
                    parts.append(true)
                elif value is False:
                    parts.append(false)
                elif not (sparse and value == False):  # noqa: E712  # 0 == False, as Python says
                    parts.append(prefix + json.dumps(value))
        except KeyError as exc:
            raise EngineError(f"a {facts['kind']} fact lacks `{exc.args[0]}`, which a rule "
                              "tests") from exc
        parts.append("}")
        return request, "".join(parts)

    def _check(self, facts: Mapping[str, Any], names: list[str]) -> frozenset[str]:
        kind = facts["kind"]
        fired: set[str] = set()
        sentinels = 0
        for name in names:
            rule_kind, rule_id = self._rules[name]
            if rule_kind != kind:
                raise EngineError(f"durable_rules fired a {rule_kind} rule for a {kind} fact")
            if rule_id is None:
                sentinels += 1
            else:
                fired.add(rule_id)
        # A rule with an `$or` fires once per matching branch, so repeats of a rule are normal;
        # the sentinel has no `$or` and must fire exactly once.
        if sentinels != 1:
            raise EngineError(f"durable_rules evaluated the {kind} fact {sentinels} times")
        expected = self._oracle.fired(facts)
        if fired != expected:
            missing, extra = sorted(expected - fired), sorted(fired - expected)
            raise EngineError(
                f"durable_rules and the policy's conditions disagree on a {kind} fact "
                f"(skipped: {missing or 'none'}; fired without cause: {extra or 'none'}); "
                "refusing to decide")
        return frozenset(fired)

    def fired(self, facts: Mapping[str, Any]) -> frozenset[str]:
        [result] = self.fire_each([facts])
        if isinstance(result, Exception):
            raise result
        return result

    def fire_many(self, facts: Sequence[Mapping[str, Any]]) -> list[frozenset[str]]:
        """`fired` for each fact, in one hop to the worker per `BATCH` facts."""
        results = self.fire_each(facts)
        for result in results:
            if isinstance(result, Exception):
                raise result
        return results  # type: ignore[return-value]  # no exception among them

    def fire_each(self, facts: Sequence[Mapping[str, Any]]) -> list[frozenset[str] | Exception]:
        """`fired` for each fact, an `EngineError` in the place of a fact it failed on, in one
        hop to the worker per `BATCH` facts. Every fact is cross-checked."""
        results: list[frozenset[str] | Exception] = [_NONE] * len(facts)
        batch: list[tuple[int, tuple[int, str]]] = []
        for i, one in enumerate(facts):
            try:
                payload = self._payload(one)
            except EngineError as exc:
                results[i] = exc
                continue
            if payload is not None:
                batch.append((i, payload))
        for start in range(0, len(batch), BATCH):
            part = batch[start:start + BATCH]
            answers = WORKER.call(_fire, self._compiled, [payload for _, payload in part])
            for (i, _), names in zip(part, answers, strict=True):
                try:
                    if isinstance(names, EngineError):
                        raise names
                    results[i] = self._check(facts[i], names)
                except EngineError as exc:
                    results[i] = exc
        return results
