"""why_not: minimal change sets, smallest first, verified on both engines, on every policy."""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import socialpolicy as sp
from socialpolicy.analysis.space import Space
from socialpolicy.analysis.why_not import models
from socialpolicy.analysis.witness import realize
from socialpolicy.signals import derive
from socialpolicy.testing import subjects
from socialpolicy.vocab import SCALES
from tests.conftest import comment, staff_post


@cache
def bundled(policy_id: str) -> sp.Policy:
    return sp.load_policy(policy_id, engine="reference")


def reaches(policy: sp.Policy, space: Space, subject: Any, values: dict[str, Any],
            target: str) -> bool:
    if not space.contains(space.valid, values):
        return False  # no subject has these values (a fact read from a field not given)
    changed = realize(space, values, [policy.document], base=subject)
    return str(policy.decide(changed).outcome) == target


def check_minimal(policy: sp.Policy, subject: Any, target: str, answer: Any) -> None:
    """No proper subset of the answer's changes reaches the target, whatever values it picks
    (checking each subset one smaller suffices: a smaller one that worked would make those
    work too)."""
    space, _ = models(policy, subject.kind)
    facts, _ = derive(subject, policy.document)
    original = space.from_facts(facts)
    keys = [edit.key for edit in answer.edits]
    for dropped in keys:
        rest = [k for k in keys if k != dropped]
        domains = [space.by_key[k].domain() for k in rest]
        for combo in itertools.product(*domains):
            values = {**original, **dict(zip(rest, combo, strict=True))}
            assert not reaches(policy, space, subject, values, target), (
                f"{[str(e) for e in answer.edits]} is not minimal: {values}")


@settings(max_examples=25)
@given(st.sampled_from(sp.available_policies()), st.data())
def test_why_not_answers_are_minimal_verified_and_smallest_first(
        policy_id: str, data: st.DataObject) -> None:
    policy = bundled(policy_id)
    subject = data.draw(subjects(names=policy.document.names))
    for target in (*[str(o) for o in SCALES[subject.kind]], "not_covered"):
        result = policy.why_not(subject, target, limit=4)
        if result.already:
            assert str(policy.decide(subject).outcome) == target
            continue
        if result.reason:
            assert not result.answers
            continue
        assert result.answers, "a reachable outcome has at least one way to reach it"
        sizes = [len(a.edits) for a in result.answers]
        assert sizes == sorted(sizes)
        for answer in result.answers:
            assert str(answer.decision.outcome) == target
            assert all(e.before != e.after for e in answer.edits)
            for other in result.answers:
                if other is not answer:
                    assert not {e.key for e in other.edits} <= {e.key for e in answer.edits}
        # the first answer is among the smallest: when it needs two or more changes, no single
        # change (to any value) works
        if sizes[0] >= 2:
            space, _ = models(policy, subject.kind)
            facts, _ = derive(subject, policy.document)
            original = space.from_facts(facts)
            for attr in space.attributes:
                for value in attr.domain():
                    assert not reaches(policy, space, subject, {**original, attr.key: value},
                                       target), (attr.key, value)
        check_minimal(policy, subject, target, result.answers[0])


def test_why_not_delete_on_x_is_the_platform() -> None:
    policy = bundled("mse_icb")
    abuse = comment(platform="x", labels={"targeted_abuse"})
    assert policy.decide(abuse).outcome == "hide"  # X cannot delete: hidden and reported
    result = policy.why_not(abuse, "delete")
    first = result.answers[0]
    assert [e.key for e in first.edits] == ["field.platform"]
    assert first.subject.platform != "x" and first.decision.outcome == "delete"
    assert "targeted-abuse-delete" in first.rules


def test_why_not_leave_removes_every_ground() -> None:
    policy = bundled("mse_icb")
    abuse = comment(platform="facebook", labels={"targeted_abuse", "names_staff"})
    result = policy.why_not(abuse, "leave")
    assert [sorted(str(e) for e in a.edits) for a in result.answers] == [
        ["remove label `names_staff`", "remove label `targeted_abuse`"]]
    assert result.complete and result.total == 1
    assert result.answers[0].subject.labels == frozenset()


def test_a_staff_post_breach_needs_one_label() -> None:
    policy = bundled("mse_icb")
    post = staff_post(about_employer=True)
    result = policy.why_not(post, "breach", limit=None)
    assert result.complete and result.total == len(result.answers)
    assert all(len(a.edits) >= 1 for a in result.answers)
    assert any([str(e) for e in a.edits] == ["add label `confidential`"] for a in result.answers)


def test_none_can_when_the_kind_is_not_covered() -> None:
    post = staff_post()
    result = bundled("mhra").why_not(post, "breach")
    assert result.reason and "does not cover" in result.reason
    assert not result.answers and "none can" in str(result)


def test_already_decided() -> None:
    result = bundled("mse_icb").why_not(comment(), "leave")
    assert result.already and "no change needed" in str(result)


def test_an_outcome_of_another_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="not an outcome for comments"):
        bundled("mse_icb").why_not(comment(), "breach")


def test_explain_why_not_on_the_command_line(tmp_path: Any, capsys: Any) -> None:
    from socialpolicy.cli import main

    path = tmp_path / "abuse.json"
    path.write_text('{"kind": "comment", "platform": "x", "text": "", "author": "@a", '
                    '"posted_at": "2026-03-04T10:00:00Z", "labels": ["targeted_abuse"]}')
    code = main(["explain", "--policy", "mse_icb", "--engine", "reference", str(path),
                 "--why-not", "delete"])
    out = capsys.readouterr().out
    assert code == 0  # an adverse outcome is ordinary data; failing on it is opt-in
    assert "why not delete? (decided hide)" in out
    assert "`platform`: x -> " in out


def test_concurrent_why_not_on_one_policy_gives_the_single_threaded_answers() -> None:
    # A Policy is shared between request threads; its BDDs are built once and shared too.
    import sys
    import threading
    from concurrent.futures import ThreadPoolExecutor

    questions: list[tuple[Any, str]] = [
        (comment(platform="x", labels={"targeted_abuse"}), "delete"),
        (comment(platform="facebook", labels={"targeted_abuse", "names_staff"}), "leave"),
        (comment(labels={"spam"}), "leave"),
        (comment(), "delete"),
        (comment(), "hide"),
        (staff_post(about_employer=True), "breach"),
        (staff_post(labels={"confidential"}), "compliant"),
        (staff_post(), "advisory"),
    ]
    expected = [sp.load_policy("mse_icb", engine="reference").why_not(s, t, limit=None).to_dict()
                for s, t in questions]
    shared = sp.load_policy("mse_icb", engine="reference")
    assert shared is not sp.load_policy("mse_icb", engine="reference")
    start = threading.Barrier(len(questions))

    def ask(index: int) -> dict[str, Any]:
        start.wait()
        subject, target = questions[index]
        return shared.why_not(subject, target, limit=None).to_dict()

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        for _ in range(3):
            with ThreadPoolExecutor(len(questions)) as pool:
                got = list(pool.map(ask, range(len(questions))))
            assert got == expected
    finally:
        sys.setswitchinterval(interval)
