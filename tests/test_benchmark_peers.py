"""The peer engines of benchmarks/compare.py decide the MSE ICB comment rules as socialpolicy does.

The benchmark's agreement check runs over thousands of comments; this runs it on the policy's own
comment examples (which include examples that fire each rule and examples that must not), per
call and in each library's batch form, so a peer that drifts from the policy fails the suite
rather than only the benchmark. No timings.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

import socialpolicy as sp
from socialpolicy.policy.model import example_subject
from socialpolicy.signals import derive

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import peers

MODULES = {"cedarpy": "cedarpy", "zen-engine": "zen", "rule-engine": "rule_engine",
           "business-rules": "business_rules"}


@pytest.fixture(scope="module")
def policy() -> sp.Policy:
    return sp.load_policy("mse_icb", engine="reference")


@pytest.fixture(scope="module")
def comments(policy: sp.Policy) -> list[Any]:
    defaults = policy.document.example_defaults.get("comment")
    return [example_subject("comment", example.fields, defaults)
            for rule in policy.rules if rule.applies_to == "comment"
            for example in rule.examples]


def test_every_engine_has_a_module() -> None:
    assert set(peers.ENGINES) == set(MODULES)


@pytest.mark.parametrize("package", sorted(MODULES))
def test_peer_agrees_with_socialpolicy(package: str, policy: sp.Policy,
                                       comments: list[Any]) -> None:
    if importlib.util.find_spec(MODULES[package]) is None:
        pytest.skip(f"{package} is not installed (it comes with the bench extra: "
                    "pip install -e '.[bench]')")
    peer = peers.ENGINES[package](policy)
    inputs = [peer.prepare(derive(c, policy.document, ())[0]) for c in comments]
    answers = {"per call": [peer.decide(x) for x in inputs]}
    if peer.decide_batch is not None:
        answers["batch"] = peer.decide_batch(inputs)
    fired_somewhere: set[str] = set()
    for how, got in answers.items():
        for comment, answer in zip(comments, got, strict=True):
            decision = policy.decide(comment, detectors=())
            expected = {f.rule_id for f in decision.findings}
            fired = peer.fired(answer)
            assert fired == expected, (how, comment.text)
            assert peers.combine(policy, fired, comment.platform) == decision.outcome
            fired_somewhere |= fired
    # Not vacuous: between them the examples fire every comment rule, and some fire none of
    # the removal rules.
    assert fired_somewhere == {r["id"] for r in peers.comment_rules(policy)}
    assert any(policy.decide(c, detectors=()).outcome == "leave" for c in comments)


def test_untranslatable_condition_is_named(policy: sp.Policy) -> None:
    with pytest.raises(ValueError, match="all/any and key/op/value"):
        peers._dnf({"not": {"key": "label.spam", "op": "eq", "value": True}})


def test_zen_table_has_a_row_per_way_a_rule_matches(policy: sp.Policy) -> None:
    graph = peers.zen_graph(policy)
    table = next(n for n in graph["nodes"] if n["type"] == "decisionTableNode")["content"]
    assert table["hitPolicy"] == "collect"
    outputs = [row["out-rule"] for row in table["rules"]]
    # house-rule-breach-reply is an `any` of eleven tests: eleven rows naming it.
    assert outputs.count('"house-rule-breach-reply"') == 11
    assert outputs.count('"respond-to-comments"') == 1  # an any of channels: one list cell
    assert {o.strip('"') for o in outputs} == {r["id"] for r in peers.comment_rules(policy)}
