"""Every invariant a policy declares holds on generated subjects; a failure prints the shrunk
counterexample as a ready-to-paste YAML example with the clauses involved."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialpolicy as sp
from socialpolicy.analysis.invariants import counterexample, violation
from socialpolicy.policy.model import Invariant
from socialpolicy.testing import account_requests, comments, staff_posts

POLICIES = {pid: sp.load_policy(pid, engine="reference") for pid in sp.available_policies()}
CASES = [(pid, inv) for pid, policy in POLICIES.items() for inv in policy.document.invariants]


def strategy(policy: sp.Policy, kind: str) -> st.SearchStrategy[Any]:
    names = policy.document.names
    if kind == "comment":
        return comments()
    if kind == "staff_post":
        return staff_posts(names=names, disclaimers=policy.document.disclaimers)
    return account_requests(names=names)


def test_every_comment_policy_declares_the_core_invariants() -> None:
    for pid in ("mse_icb", "mhra"):
        ids = {inv.id for inv in POLICIES[pid].document.invariants}
        assert {"criticism-alone-is-never-removed", "targeted-abuse-is-never-left",
                "more-comment-labels-never-soften"} <= ids


@pytest.mark.parametrize(("policy_id", "invariant"), CASES,
                         ids=[f"{pid}-{inv.id}" for pid, inv in CASES])
@given(data=st.data())
def test_invariant_holds(policy_id: str, invariant: Invariant, data: st.DataObject) -> None:
    policy = POLICIES[policy_id]
    subject = data.draw(strategy(policy, invariant.applies_to))
    problem = violation(policy, invariant, subject)
    assert problem is None, counterexample(policy, invariant, subject, problem)


def test_a_broken_invariant_is_reported_as_a_pasteable_example() -> None:
    policy = POLICIES["mse_icb"]
    wrong = Invariant("abuse-is-left", "comment", ("appendix-c/abuse",), "deliberately wrong",
                      outcome_in=frozenset({sp.Outcome.LEAVE}),
                      when=policy.document.invariants[1].when)
    subject = sp.Comment(platform="facebook", text="you should be hurt", author="@a",
                         posted_at="2026-03-04T10:00:00Z", labels={"targeted_abuse"})
    problem = violation(policy, wrong, subject)
    assert problem == "outcome is delete, expected one of ['leave']"
    text = counterexample(policy, wrong, subject, problem)
    assert text.splitlines()[0].startswith("# invariant `abuse-is-left` (mse_icb")
    assert "# the invariant cites: appendix-c/abuse" in text
    assert "- platform: facebook\n  text: you should be hurt" in text
    assert "  labels:\n  - targeted_abuse" in text


def test_monotonicity_violation_is_found() -> None:
    policy = sp.load_policy("mhra", engine="reference")
    monotone = next(i for i in policy.document.invariants if i.property == "labels_monotone")
    subject = sp.Comment(platform="x", text="", author="@a", posted_at="2026-03-04T10:00:00Z",
                         labels={"targeted_abuse"})
    assert violation(policy, monotone, subject) is None
    # A policy whose rule stops firing when a label is added would break monotonicity.
    broken = sp.load_policy("mhra", engine="reference")
    original = broken._engine.fired

    def softer(facts: dict[str, Any]) -> frozenset[str]:
        fired = original(facts)
        return fired - {"abuse-delete"} if facts["label.spam"] else fired

    broken._engine.fired = softer  # type: ignore[method-assign]
    assert "adding label `spam` lowers the outcome" in (violation(broken, monotone, subject) or "")
