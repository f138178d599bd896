"""Every durable_rules trap in DESIGN 7, pinned: if an upgrade changes one, a test says so.

The bare-engine tests drive the C extension directly, as the adapter does; the adapter tests
check each trap is handled, on the dedicated worker thread, and fails closed.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import socialpolicy as sp
from socialpolicy.engines import _durable
from socialpolicy.engines._durable import DurableEngine, check_limits, ruleset_definition
from socialpolicy.engines._durable_rules import MAX_DISTINCT_TESTS, MAX_GROUPS_PER_RULE
from socialpolicy.policy.loader import compile_file
from socialpolicy.signals import derive

from .conftest import FIXTURES, comment

rules_engine = pytest.importorskip("durable_rules_engine")
DRIVER = Path(__file__).parent / "durable_driver.py"


@pytest.fixture(scope="module")
def ir() -> dict[str, Any]:
    return compile_file(FIXTURES / "mini.yaml").ir


def facts(**labels: bool) -> dict[str, Any]:
    subject = comment(labels={name for name, on in labels.items() if on})
    return derive(subject, compile_file(FIXTURES / "mini.yaml").document)[0]


def copy(ir: dict[str, Any], policy_id: str) -> dict[str, Any]:
    """The IR under a new policy id: a ruleset of its own."""
    fresh: dict[str, Any] = json.loads(json.dumps(ir))
    fresh["policy"]["id"] = policy_id
    return fresh


class Recorder:
    """Stands in for the C module: records every call (and its thread), then delegates."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.calls: list[tuple[str, int, tuple[Any, ...]]] = []
        self.override: dict[str, Callable[..., Any]] = {}

    def __getattr__(self, name: str) -> Callable[..., Any]:
        target = self.override.get(name) or getattr(self.real, name)

        def call(*args: Any) -> Any:
            self.calls.append((name, threading.get_ident(), args))
            return target(*args)

        return call


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    recording = Recorder(_durable._engine)
    monkeypatch.setattr(_durable, "_engine", recording)
    yield recording


def bare(name: str, rules: dict[str, Any]) -> int:
    return int(rules_engine.create_ruleset(name, json.dumps(rules)))


def drain(handle: int, state: int) -> list[str]:
    names = []
    result = rules_engine.start_action_for_state(handle, state)
    message = result[1] if result else None
    while message:
        names.append(next(iter(json.loads(message))))
        message = rules_engine.complete_and_start_action(handle, state)
    return names


# ---- the bare engine's traps -------------------------------------------------------------

def test_bare_engine_events_fire_only_the_first_rule() -> None:
    # Why the adapter asserts facts: the same content posted as an event fires one rule.
    handle = bare("trap_events", {"a": {"all": [{"m": {"x": 1}}]},
                                  "b": {"all": [{"m": {"x": 1}}]}})
    _, state = rules_engine.assert_event(handle, json.dumps({"sid": "s", "id": 1, "x": 1}))
    assert len(drain(handle, state)) == 1
    _, state = rules_engine.assert_fact(handle, json.dumps({"sid": "t", "id": 1, "x": 1}))
    assert sorted(drain(handle, state)) == ["a", "b"]
    rules_engine.delete_ruleset(handle)


def test_bare_engine_fires_a_disjunction_once_per_matching_branch() -> None:
    handle = bare("trap_or", {"either": {"all": [{"m": {"$or": [{"a": 1}, {"b": 1}]}}]}})
    _, state = rules_engine.assert_fact(handle, json.dumps({"sid": "s", "id": 1, "a": 1, "b": 1}))
    assert drain(handle, state) == ["either", "either"]


def test_bare_engine_unmatched_and_repeated_facts_are_result_codes() -> None:
    handle = bare("trap_facts", {"a": {"all": [{"m": {"x": 1}}]}})
    code, _ = rules_engine.assert_fact(handle, json.dumps({"sid": "s", "id": 1, "x": 2}))
    assert code == 1  # not handled
    code, state = rules_engine.assert_fact(handle, json.dumps({"sid": "s", "x": 1}))
    assert code == 0 and drain(handle, state) == ["a"]
    code, _ = rules_engine.assert_fact(handle, json.dumps({"sid": "s", "x": 1}))
    assert code == 2  # already observed: same content, no id


def test_bare_engine_rejects_a_rule_with_sixteen_groups() -> None:
    # Each $and/$or takes two of a rule's 32 expression slots: 15 groups build, 16 fail.
    def rule(groups: int) -> dict[str, Any]:
        parts = [{"$or": [{f"a{i}": 1}, {f"b{i}": 1}]} for i in range(groups - 1)]
        return {"r": {"all": [{"m": {"$and": [{"kind": "c"}, *parts]}}]}}

    rules_engine.delete_ruleset(bare("fifteen", rule(MAX_GROUPS_PER_RULE)))
    with pytest.raises(Exception, match="error code: 113"):
        bare("sixteen", rule(MAX_GROUPS_PER_RULE + 1))


def test_bare_engine_hangs_on_a_full_test_table() -> None:
    # 512 distinct tests after one test fill its table: the first fact then loops forever.
    script = (
        "import json, sys, durable_rules_engine as e\n"
        "n = int(sys.argv[1])\n"
        "rules = {f'r{i}': {'all': [{'m': {'$and': [{'k': 1}, {'x': i}]}}]} for i in range(n)}\n"
        "h = e.create_ruleset('t', json.dumps(rules))\n"
        "e.assert_fact(h, json.dumps({'sid': '1', 'id': 1, 'k': 1, 'x': -1}))\n")
    ok = subprocess.run([sys.executable, "-c", script, str(MAX_DISTINCT_TESTS)], timeout=60)
    assert ok.returncode == 0
    with pytest.raises(subprocess.TimeoutExpired):
        subprocess.run([sys.executable, "-c", script, str(MAX_DISTINCT_TESTS + 1)], timeout=3)


# ---- the adapter ---------------------------------------------------------------------------

def test_all_matching_rules_fire_because_subjects_are_facts(ir: dict[str, Any]) -> None:
    fired = DurableEngine(ir).fired(facts(spam=True, targeted_abuse=True))
    assert fired == {"abuse-delete", "spam-hide", "reply-in-two-days"}


def test_adapter_reports_a_disjunction_once(ir: dict[str, Any]) -> None:
    both = facts(targeted_abuse=True, hate_speech=True)  # both branches of abuse-delete
    assert DurableEngine(ir).fired(both) == {"abuse-delete", "reply-in-two-days"}


def test_each_decision_is_a_fresh_fact_so_repeats_never_collide(ir: dict[str, Any]) -> None:
    engine = DurableEngine(ir)
    same = facts(spam=True)
    assert engine.fired(same) == engine.fired(same) == {"spam-hide", "reply-in-two-days"}
    assert engine.fire_many([same] * 3) == [{"spam-hide", "reply-in-two-days"}] * 3


def test_more_sessions_than_the_engine_cap(ir: dict[str, Any]) -> None:
    # 1024 live sessions is the cap; decisions share one session, so 1500 run.
    engine = DurableEngine(ir)
    assert all("spam-hide" in fired for fired in engine.fire_many([facts(spam=True)] * 1500))


def test_every_call_into_durable_runs_on_the_worker_and_no_host_timer_runs(
        ir: dict[str, Any], recorder: Recorder) -> None:
    engine = DurableEngine(copy(ir, "threads"))
    results: list[frozenset[str]] = []

    def work() -> None:
        results.extend(engine.fired(facts(spam=True)) for _ in range(20))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    work()
    for thread in threads:
        thread.join()
    assert results == [{"spam-hide", "reply-in-two-days"}] * 100
    threads_used = {ident for _, ident, _ in recorder.calls}
    assert threads_used == {_durable.WORKER.ident}
    assert threading.get_ident() not in threads_used
    assert not [t for t in threading.enumerate() if isinstance(t, threading.Timer)]
    assert "durable.engine" not in sys.modules  # the Host (and its timers) is never built


def test_one_session_holding_one_fact_at_a_time_each_drained_before_it_is_retracted(
        ir: dict[str, Any], recorder: Recorder) -> None:
    engine = DurableEngine(ir)
    built = len(recorder.calls)
    engine.fire_many([facts(spam=True), facts(targeted_abuse=True), facts()])
    engine.fired(facts(spam=True))
    live: set[int] = set()
    sessions, asserted = set(), []
    last = ""
    for name, _, args in recorder.calls[built:]:
        if name == "assert_fact":
            fact = json.loads(args[1])
            assert not live, "two facts alive at once"
            live.add(fact["id"])
            sessions.add(fact["sid"])
            asserted.append(fact["id"])
        elif name == "retract_fact":
            # Results still queued for a fact would be left behind in the session.
            assert last in ("start_action_for_state", "complete_and_start_action")
            retracted = json.loads(args[1])
            assert retracted["sid"] in sessions
            live.remove(retracted["id"])
        elif name in ("create_ruleset", "delete_state", "delete_ruleset"):
            pytest.fail(f"`{name}` called while deciding")
        last = name
    assert not live and len(asserted) == len(set(asserted)) == 4
    assert sessions == {_durable.SESSION}  # one session, kept
    handle = engine._compiled.handle
    assert json.loads(_durable.WORKER.call(rules_engine.get_facts, handle, _durable.SESSION)) \
        == []  # the session is empty between jobs


def test_a_session_left_holding_facts_is_never_reused(
        ir: dict[str, Any], recorder: Recorder) -> None:
    engine = DurableEngine(copy(ir, "stale"))
    assert engine.fired(facts(spam=True))
    recorder.override["retract_fact"] = lambda handle, fact: (1, 0)  # not retracted
    with pytest.raises(sp.EngineError, match="could not retract"):
        engine.fired(facts(spam=True))
    assert engine._compiled.handle is None and engine._compiled.retired == 1
    del recorder.override["retract_fact"]
    assert engine.fired(facts(spam=True)) == {"spam-hide", "reply-in-two-days"}


def test_a_c_error_fails_the_decision_retires_the_ruleset_and_the_next_decision_works(
        ir: dict[str, Any], recorder: Recorder) -> None:
    engine = DurableEngine(copy(ir, "faulty"))
    before = engine._compiled.handle

    def failing(*args: Any) -> None:
        raise RuntimeError("Could not complete action, error code: 307")

    recorder.override["complete_and_start_action"] = failing
    with pytest.raises(sp.EngineError, match="error code: 307"):
        engine.fired(facts(spam=True))
    assert engine._compiled.retired == 1 and engine._compiled.handle is None
    del recorder.override["complete_and_start_action"]
    assert engine.fired(facts(spam=True)) == {"spam-hide", "reply-in-two-days"}
    assert engine._compiled.handle is not None and engine._compiled.handle != before


def test_an_engine_that_evaluates_nothing_fails_closed(
        ir: dict[str, Any], recorder: Recorder) -> None:
    engine = DurableEngine(ir)
    recorder.override["start_action_for_state"] = lambda handle, state: None
    with pytest.raises(sp.EngineError, match="evaluated the comment fact 0 times"):
        engine.fired(facts(spam=True))


def test_an_unhandled_fact_fails_closed(ir: dict[str, Any], recorder: Recorder) -> None:
    engine = DurableEngine(ir)
    real = recorder.real.assert_fact
    recorder.override["assert_fact"] = lambda handle, fact: (1, real(handle, fact)[1])
    with pytest.raises(sp.EngineError, match="matched no rule"):
        engine.fired(facts(spam=True))


@pytest.mark.parametrize("sabotage", ["skip", "add"])
def test_a_skipped_or_spurious_rule_fails_closed(
        ir: dict[str, Any], monkeypatch: pytest.MonkeyPatch, sabotage: str) -> None:
    engine = DurableEngine(ir)
    real_fire = _durable._fire
    spam = next(name for name, (_, rule) in engine._rules.items() if rule == "spam-hide")

    def sabotaged(ruleset: Any, batch: Any) -> list[list[str]]:
        names = real_fire(ruleset, batch)
        if sabotage == "skip":
            return [[name for name in fired if name != spam] for fired in names]
        return [[*fired, spam] for fired in names]

    monkeypatch.setattr(_durable, "_fire", sabotaged)
    subject = facts(spam=True) if sabotage == "skip" else facts()
    with pytest.raises(sp.EngineError, match=r"disagree.*spam-hide.*refusing to decide"):
        engine.fired(subject)
    with pytest.raises(sp.EngineError, match="disagree"):
        engine.fire_many([subject])


def test_an_interrupted_caller_leaves_the_job_finishing_and_the_engine_healthy(
        ir: dict[str, Any], monkeypatch: pytest.MonkeyPatch, recorder: Recorder) -> None:
    engine = DurableEngine(ir)
    real_fire = _durable._fire
    started, finished = threading.Event(), threading.Event()

    def slow(ruleset: Any, batch: Any) -> list[list[str]]:
        started.set()
        time.sleep(0.5)  # the caller's timeout lands while the job is in the engine
        names = real_fire(ruleset, batch)
        finished.set()
        return names

    class TimeLimitError(Exception):
        pass

    def on_alarm(signum: int, frame: Any) -> None:
        raise TimeLimitError

    main = threading.get_ident()

    def alarm_once_started() -> None:
        if started.wait(10):
            signal.pthread_kill(main, signal.SIGALRM)  # lands on the main thread, mid-wait

    monkeypatch.setattr(_durable, "_fire", slow)
    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        threading.Thread(target=alarm_once_started).start()
        with pytest.raises(TimeLimitError):
            engine.fired(facts(spam=True))
        assert not finished.is_set()  # the caller gave up before the job ended
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert finished.wait(10)
    monkeypatch.setattr(_durable, "_fire", real_fire)
    assert engine.fired(facts(spam=True)) == {"spam-hide", "reply-in-two-days"}
    asserted = [c for c in recorder.calls if c[0] == "assert_fact"]
    retracted = [c for c in recorder.calls if c[0] == "retract_fact"]
    assert len(asserted) == len(retracted) == 2  # the abandoned job retracted its fact too


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signal masks")
def test_the_worker_thread_never_receives_signals() -> None:
    # Started with every signal blocked: process signals go to other threads, and a handler
    # can never raise inside the worker's own start-up.
    blocked = _durable.WORKER.call(signal.pthread_sigmask, signal.SIG_BLOCK, [])
    assert {signal.SIGALRM, signal.SIGINT, signal.SIGTERM} <= blocked
    assert signal.SIGALRM not in signal.pthread_sigmask(signal.SIG_BLOCK, [])  # caller's mask


def test_a_start_interrupted_by_a_signal_leaves_exactly_one_worker(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from socialpolicy.engines import _worker

    worker = _worker.Worker("test-interrupted-start")
    real = _worker._thread.start_new_thread
    spawned: list[int] = []

    def interrupted(function: Callable[..., Any], args: tuple[Any, ...]) -> int:
        spawned.append(real(function, args))
        if len(spawned) == 1:  # a handler raising as the C call returns: the thread exists
            raise KeyboardInterrupt
        return spawned[-1]

    monkeypatch.setattr(_worker._thread, "start_new_thread", interrupted)
    ran: list[int] = []
    with pytest.raises(KeyboardInterrupt):
        worker.call(lambda: ran.append(threading.get_ident()))
    for _ in range(20):
        worker.call(lambda: ran.append(threading.get_ident()))
    assert len(ran) == 21  # the interrupted caller's job ran too
    assert set(ran) == {worker.ident} and len(spawned) <= 2


def test_a_callers_own_timeout_abandons_the_wait_not_the_job() -> None:
    # The job is held until the caller has given up, so the timeout expires first however
    # slowly either thread is scheduled (a sleeping job could finish first on a loaded machine).
    started, release, done = threading.Event(), threading.Event(), threading.Event()

    def job() -> str:
        started.set()
        assert release.wait(30)
        done.set()
        return "finished"

    try:
        with pytest.raises(TimeoutError, match="goes on in the background"):
            _durable.WORKER.call(job, timeout=0.01)
        assert started.wait(10) and not done.is_set()  # abandoned the wait while the job ran
    finally:
        release.set()
    assert done.wait(10)  # ... and the job went on to its end on the worker
    assert _durable.WORKER.call(lambda: "next") == "next"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")
def test_a_forked_child_gets_its_own_worker(ir: dict[str, Any]) -> None:
    engine = DurableEngine(ir)
    engine.fired(facts(spam=True))  # the parent's worker is running
    pid = os.fork()
    if pid == 0:  # child: decide, then leave without running the parent's cleanup
        ok = engine.fired(facts(spam=True)) == {"spam-hide", "reply-in-two-days"}
        os._exit(0 if ok and _durable.WORKER.ident != threading.get_ident() else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_random_signal_timeouts_never_take_a_process_down() -> None:
    # 6 processes x 2 s of decisions, each interrupted at random by setitimer/alarm timeouts
    # (some raising KeyboardInterrupt); two of them with threads deciding alongside.
    runs = [subprocess.Popen([sys.executable, str(DRIVER), "2", str(seed),
                              "--threads", str(2 if seed % 3 == 0 else 0)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for seed in range(6)]
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, (run.returncode, out, err[-2000:])
        counts = json.loads(out)
        assert counts["interrupted"] > 0 and counts["decisions"] > 0 and counts["wrong"] == 0


def test_injected_engine_faults_cost_decisions_never_the_process() -> None:
    run = subprocess.run([sys.executable, str(DRIVER), "2", "99", "--faults", "40",
                          "--threads", "1"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, (run.stdout, run.stderr[-2000:])
    counts = json.loads(run.stdout)
    assert counts["faults_injected"] > 0 and counts["rulesets_retired"] > 0
    assert counts["wrong"] == 0


@pytest.mark.soak
@pytest.mark.parametrize("seed", range(12))
def test_soak_signal_timeouts_threads_and_faults(seed: int) -> None:
    run = subprocess.run([sys.executable, str(DRIVER), "30", str(1000 + seed), "--threads", "2",
                          *(["--faults", "200"] if seed % 2 else [])],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, (run.stdout, run.stderr[-2000:])
    assert json.loads(run.stdout)["wrong"] == 0


# ---- rulesets: shared by content, freed with their last engine ----------------------------

def test_identical_content_shares_one_ruleset_and_an_edit_gets_its_own(
        ir: dict[str, Any]) -> None:
    first, second = DurableEngine(ir), DurableEngine(ir)
    assert first.ruleset == second.ruleset and first._compiled is second._compiled
    assert first.ruleset.startswith("socialpolicy_mini_council_")
    changed = json.loads(json.dumps(ir))
    changed["kinds"]["comment"]["rules"][0]["when"]["any"][0]["value"] = False
    assert DurableEngine(changed).ruleset != first.ruleset


def test_a_ruleset_is_deleted_when_its_last_engine_goes(
        ir: dict[str, Any], recorder: Recorder) -> None:
    engines = [DurableEngine(copy(ir, "reloaded")) for _ in range(3)]
    handle = engines[0]._compiled.handle
    assert engines[0].fired(facts(spam=True))
    del engines[:2]
    gc.collect()
    _durable.WORKER.call(lambda: None)  # let queued work finish
    assert (handle,) not in [c[2] for c in recorder.calls if c[0] == "delete_ruleset"]
    engines.clear()
    gc.collect()
    _durable.WORKER.call(lambda: None)
    freed = [(c[0], c[2]) for c in recorder.calls if c[0] in ("delete_state", "delete_ruleset")]
    # its session first: deleting a ruleset does not free the sessions in it
    assert freed[-2:] == [("delete_state", (handle, _durable.SESSION)),
                          ("delete_ruleset", (handle,))]
    assert "socialpolicy_reloaded" not in " ".join(_durable._RULESETS)


def test_definition_namespaces_keys_and_gives_every_rule_a_positive_test(
        ir: dict[str, Any]) -> None:
    definition = ruleset_definition(ir)
    text = json.dumps(definition)
    assert '"id"' not in text and '"sid"' not in text
    for name, rule in definition.items():
        condition = rule["all"][0]["m"]
        first = condition["$and"][0] if "$and" in condition else condition
        assert "kind" in first, name
    assert '"$nex"' not in text  # no bare negations
    assert all(name.isascii() and name[1:].isdigit() for name in definition)


def test_nested_groups_of_the_same_kind_are_flattened(ir: dict[str, Any]) -> None:
    definition = json.dumps(ruleset_definition(ir))
    assert '{"$and": [{"$and"' not in definition and '"$and": [{"kind": "comment"}, {"$and"' \
        not in definition


def test_sparse_definition_tests_presence_only_after_the_positive_kind_test() -> None:
    ir = compile_file("mse_icb").ir
    assert '"label__spam": false' in json.dumps(ruleset_definition(ir))
    definition = ruleset_definition(ir, sparse=True)
    text = json.dumps(definition)
    assert '{"$nex": {"label__spam": 1}}' in text  # `label == false` is `label absent`
    assert "false" not in text
    for name, rule in definition.items():
        condition = rule["all"][0]["m"]
        first = condition["$and"][0] if "$and" in condition else condition
        assert first == {"kind": first["kind"]}, name


def test_sparse_facts_leave_out_only_what_equals_false(ir: dict[str, Any]) -> None:
    engine = DurableEngine(ir)
    _, text = engine._payload(facts(spam=True))  # type: ignore[misc]
    fact = json.loads(text)
    assert fact["label__spam"] is True and "label__targeted_abuse" not in fact
    assert fact["field__channel"] == "comment" and fact["sid"] == _durable.SESSION


@pytest.mark.parametrize("op", ["eq", "ne"])
@pytest.mark.parametrize("value", [True, False])
def test_sparse_tests_mean_what_python_means_for_any_number(
        ir: dict[str, Any], op: str, value: bool) -> None:
    # Facts from `derive` hold booleans here; a fact holding 0 or 1 must still be decided
    # exactly as the reference engine decides it (the cross-check would refuse otherwise).
    from socialpolicy.engines.reference import ReferenceEngine

    odd = copy(ir, f"sparse_{op}_{value}")
    odd["kinds"]["comment"]["rules"][1]["when"] = {"all": [
        {"key": "label.spam", "op": op, "value": value},
        {"key": "label.hate_speech", "op": "eq", "value": False}]}
    durable, reference = DurableEngine(odd), ReferenceEngine(odd)
    for spam in (True, False, 0, 0.0, 1):
        fact = {**facts(), "label.spam": spam}
        assert durable.fired(fact) == reference.fired(fact), spam
    assert "spam-hide" in durable.fired({**facts(), "label.spam": value == (op == "eq")})
    # durable_rules' `$neq` never matches null (Python's `None != True` holds): the engine
    # may refuse such a fact, but never answers differently from the reference engine.
    fact = {**facts(), "label.spam": None}
    try:
        assert durable.fired(fact) == reference.fired(fact)
    except sp.EngineError as exc:
        assert "disagree" in str(exc) and (op, value) == ("ne", True)


# ---- limits checked at load, in words ------------------------------------------------------

def groups_rule(ir: dict[str, Any], groups: int) -> dict[str, Any]:
    big = copy(ir, f"groups{groups}")
    labels = ["spam", "targeted_abuse", "hate_speech", "personal_attack", "names_staff",
              "personal_details", "repetitive_provocation", "impersonation", "profanity",
              "illegal", "advertising", "platform_terms_breach", "misinformation",
              "disinformation", "criticism", "complaint", "medical_question", "foi_request"]
    big["kinds"]["comment"]["rules"][0]["when"] = {"all": [
        {"any": [{"key": f"label.{labels[i]}", "op": "eq", "value": True},
                 {"key": "field.author_prior_removals", "op": "ge", "value": i}]}
        for i in range(groups)]}
    return big


def test_a_rule_with_too_many_groups_is_refused_in_words(ir: dict[str, Any]) -> None:
    # The kind test and the rule's `all` share one group, so 14 `any`s make 15 groups.
    fits = groups_rule(ir, MAX_GROUPS_PER_RULE - 1)
    assert check_limits(fits) == []
    engine = DurableEngine(fits)  # builds, and decides (cross-checked) without error
    engine.fired(facts(spam=True))
    too_big = groups_rule(ir, MAX_GROUPS_PER_RULE)
    [problem] = check_limits(too_big)
    assert "rule `abuse-delete` has 16 all/any groups" in problem.message
    assert "error code 113" in problem.message and "split the rule" in problem.hint
    with pytest.raises(sp.EngineError, match="at most 15 in one rule"):
        DurableEngine(too_big)


@pytest.mark.parametrize(("values", "refused"), [(MAX_DISTINCT_TESTS - 20, False),
                                                 (MAX_DISTINCT_TESTS, True)])
def test_too_many_distinct_tests_is_refused(ir: dict[str, Any], values: int,
                                            refused: bool) -> None:
    big = copy(ir, f"tests{values}")
    big["kinds"]["comment"]["rules"][0]["when"] = {"any": [
        {"key": "field.author_prior_removals", "op": "eq", "value": n} for n in range(values)]}
    problems = check_limits(big)
    assert bool(problems) is refused
    if refused:
        assert "hangs when more than 511 distinct tests" in problems[0].message
        assert "ranges" in problems[0].hint
    else:
        assert "abuse-delete" in DurableEngine(big).fired(facts(spam=True))  # removals 0


def test_integers_beyond_exact_comparison_are_refused(ir: dict[str, Any]) -> None:
    big = copy(ir, "huge")
    big["kinds"]["comment"]["rules"][0]["when"] = {
        "key": "field.author_prior_removals", "op": "ge", "value": 2**63}
    [problem] = check_limits(big)
    assert "9223372036854775808" in problem.message and "compares exactly" in problem.message


def test_the_loader_reports_a_limit_at_the_rule_with_a_hint(tmp_path: Path) -> None:
    text = (FIXTURES / "mini.yaml").read_text()
    old = "when: {any: [{label: targeted_abuse}, {label: hate_speech}]}"
    # 15 groups, each true for the rule's `fires` examples and false for its `does_not_fire`.
    others = ["spam", "personal_attack", "names_staff", "personal_details", "impersonation",
              "repetitive_provocation", "profanity", "illegal", "advertising", "misinformation",
              "platform_terms_breach", "disinformation", "complaint", "foi_request",
              "media_request"]
    anys = ", ".join(
        f"{{any: [{{label: targeted_abuse}}, {{label: hate_speech}}, {{label: {other}}}]}}"
        for other in others)
    path = tmp_path / "big.yaml"
    path.write_text(text.replace(old, f"when: {{all: [{anys}]}}"))
    with pytest.raises(sp.PolicyError) as caught:
        sp.load_policy(path, engine="reference")
    [diagnostic] = [d for d in caught.value.diagnostics if d.code == "durable-limit"]
    line = text[:text.index(old)].count("\n")  # the rule starts a line or two above
    assert 0 < line - diagnostic.line < 4 and diagnostic.hint and "split" in diagnostic.hint


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads Linux memory figures")
def test_the_kept_session_does_not_grow(ir: dict[str, Any]) -> None:
    # Facts are retracted, not dropped with a session: a leak would show within 20,000.
    engine = DurableEngine(ir)
    batch = [facts(spam=True), facts(targeted_abuse=True, hate_speech=True), facts()] * 500

    def resident() -> int:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    for _ in range(3):
        engine.fire_many(batch)
    before = resident()
    for _ in range(14):
        engine.fire_many(batch)
    assert resident() - before < 1_000_000
    assert json.loads(_durable.WORKER.call(
        rules_engine.get_facts, engine._compiled.handle, _durable.SESSION)) == []
