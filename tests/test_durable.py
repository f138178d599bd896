"""Every durable_rules trap in DESIGN 7, pinned: if an upgrade changes one, a test says so."""

from __future__ import annotations

import json
import threading

import pytest

import socialpolicy as sp
from socialpolicy.engines import _durable
from socialpolicy.engines._durable import DurableEngine, ruleset_definition
from socialpolicy.policy.loader import compile_file

from .conftest import FIXTURES, comment

durable_engine = pytest.importorskip("durable.engine")


@pytest.fixture(scope="module")
def ir() -> dict:
    return compile_file(FIXTURES / "mini.yaml").ir


def facts(**labels: bool) -> dict:
    subject = comment(labels={name for name, on in labels.items() if on})
    policy = sp.load_policy(FIXTURES / "mini.yaml", engine="reference")
    from socialpolicy.signals import derive

    return derive(subject, policy.document)[0]


def test_all_matching_rules_fire_because_subjects_are_facts(ir: dict) -> None:
    engine = DurableEngine(ir)
    fired = engine.fired(facts(spam=True, targeted_abuse=True))
    assert fired == {"abuse-delete", "spam-hide", "reply-in-two-days"}


def test_bare_engine_events_fire_only_the_first_rule() -> None:
    # Why the adapter asserts facts: the same content posted as an event fires one rule.
    fired: list[str] = []

    def first(c: object) -> None:
        fired.append("first")

    def second(c: object) -> None:
        fired.append("second")

    host = durable_engine.Host()
    host.register_rulesets({"trap_events": {
        "a": {"all": [{"m": {"x": 1}}], "run": first},
        "b": {"all": [{"m": {"x": 1}}], "run": second}}})
    host.post("trap_events", {"sid": "s", "x": 1})
    assert len(fired) == 1


def test_a_disjunction_fires_once_per_matching_branch() -> None:
    fired: list[str] = []

    def record(c: object) -> None:
        fired.append("either")

    host = durable_engine.Host()
    host.register_rulesets({"trap_or": {
        "either": {"all": [{"m": {"$or": [{"a": 1}, {"b": 1}]}}], "run": record}}})
    host.assert_fact("trap_or", {"sid": "s", "a": 1, "b": 1})
    assert fired == ["either", "either"]


def test_adapter_reports_a_disjunction_once(ir: dict) -> None:
    both = facts(targeted_abuse=True, hate_speech=True)  # both branches of abuse-delete
    assert DurableEngine(ir).fired(both) == {"abuse-delete", "reply-in-two-days"}


def test_unmatched_fact_raises_and_duplicate_content_raises() -> None:
    def noop(c: object) -> None:
        return None

    host = durable_engine.Host()
    host.register_rulesets({"trap_facts": {"a": {"all": [{"m": {"x": 1}}], "run": noop}}})
    with pytest.raises(durable_engine.MessageNotHandledException) as caught:
        host.assert_fact("trap_facts", {"sid": "s", "x": 2})
    assert str(caught.value) in ("", "{'sid': 's', 'x': 2}")  # carries no useful message
    host.assert_fact("trap_facts", {"sid": "s", "x": 1})
    with pytest.raises(durable_engine.MessageObservedException):
        host.assert_fact("trap_facts", {"sid": "s", "x": 1})


def test_each_decision_is_a_fresh_fact_so_repeats_never_collide(ir: dict) -> None:
    engine = DurableEngine(ir)
    same = facts(spam=True)
    assert engine.fired(same) == engine.fired(same) == {"spam-hide", "reply-in-two-days"}


def test_action_errors_are_swallowed_by_the_engine_and_raised_by_the_adapter(
        ir: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    def exploding_recorder(rule_id: str):  # type: ignore[no-untyped-def]
        def record(closure: object) -> None:
            raise RuntimeError(f"boom in {rule_id}")

        return record

    monkeypatch.setattr(_durable, "_recorder", exploding_recorder)
    fresh = json.loads(json.dumps(ir))
    fresh["policy"]["id"] = "exploding"  # a new ruleset, so the exploding actions attach
    with pytest.raises(sp.EngineError, match="action failed: exception caught boom"):
        DurableEngine(fresh).fired(facts(spam=True))


def test_more_sessions_than_the_engine_cap(ir: dict) -> None:
    # 1024 live sessions is the cap; each decision's session is deleted, so 1500 run.
    engine = DurableEngine(ir)
    subject_facts = facts(spam=True)
    for _ in range(1500):
        assert "spam-hide" in engine.fired(subject_facts)


def test_no_session_outlives_its_decision(ir: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    # Colliding 32-bit session hashes can only share facts if two sessions are alive at once.
    engine = DurableEngine(ir)
    host = _durable._HOST
    live: list[str] = []
    deleted: list[str] = []
    original_assert, original_delete = host.assert_fact, host.delete_state

    def tracking_assert(name: str, fact: dict) -> object:
        live.append(fact["sid"])
        assert len(set(live) - set(deleted)) == 1, "two sessions alive at once"
        return original_assert(name, fact)

    def tracking_delete(name: str, sid: str) -> None:
        deleted.append(sid)
        original_delete(name, sid)

    monkeypatch.setattr(host, "assert_fact", tracking_assert)
    monkeypatch.setattr(host, "delete_state", tracking_delete)
    for labels in ({"spam": True}, {"targeted_abuse": True}, {}):
        engine.fired(facts(**labels))
    assert live == deleted and len(set(live)) == 3


def test_session_is_deleted_even_when_the_engine_fails(
        ir: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = DurableEngine(ir)
    host = _durable._HOST
    deleted: list[str] = []

    def failing_assert(name: str, fact: dict) -> None:
        raise durable_engine.MessageNotHandledException(fact)

    monkeypatch.setattr(host, "assert_fact", failing_assert)
    monkeypatch.setattr(host, "delete_state", lambda name, sid: deleted.append(sid))
    with pytest.raises(sp.EngineError, match="matched no rule"):
        engine.fired(facts(spam=True))
    assert len(deleted) == 1


def test_engine_that_evaluates_nothing_fails_closed(
        ir: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = DurableEngine(ir)
    monkeypatch.setattr(_durable._HOST, "assert_fact", lambda name, fact: None)
    with pytest.raises(sp.EngineError, match="Could not get state"):
        engine.fired(facts(spam=True))
    # Even if the engine reported a clean state, no sentinel means no decision.
    monkeypatch.setattr(_durable._HOST, "get_state", lambda name, sid: {})
    with pytest.raises(sp.EngineError, match="not evaluated exactly once"):
        engine.fired(facts(spam=True))


def test_rulesets_are_named_by_digest_and_registered_once(ir: dict) -> None:
    first, second = DurableEngine(ir), DurableEngine(ir)
    assert first.ruleset == second.ruleset
    assert first.ruleset.startswith("socialpolicy_mini_council_")
    changed = json.loads(json.dumps(ir))
    changed["kinds"]["comment"]["rules"][0]["when"]["any"][0]["value"] = False
    assert DurableEngine(changed).ruleset != first.ruleset


def test_definition_namespaces_keys_and_gives_every_rule_a_positive_test(ir: dict) -> None:
    definition = ruleset_definition(ir)
    text = json.dumps(definition)
    assert '"id"' not in text and '"sid"' not in text
    for name, rule in definition.items():
        condition = rule["all"][0]["m"]
        first = condition["$and"][0] if "$and" in condition else condition
        assert "kind" in first, name
    assert '"$nex"' not in text  # no bare negations


def test_actions_take_one_parameter() -> None:
    record = _durable._recorder("x")
    assert record.__code__.co_argcount == 1


def test_too_many_distinct_tests_is_refused(ir: dict) -> None:
    big = json.loads(json.dumps(ir))
    big["kinds"]["comment"]["rules"][0]["when"] = {"any": [
        {"key": "field.author_prior_removals", "op": "eq", "value": n} for n in range(600)]}
    with pytest.raises(sp.EngineError, match="limit of 512"):
        DurableEngine(big)


def test_threads_share_one_lock(ir: dict) -> None:
    engine = DurableEngine(ir)
    subject_facts = facts(spam=True, targeted_abuse=True)
    expected = engine.fired(subject_facts)
    results: list[frozenset[str]] = []

    def work() -> None:
        for _ in range(100):
            results.append(engine.fired(subject_facts))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 800
