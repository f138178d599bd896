"""`decide_many` hands each chunk's facts to the engine in one call (`fire_each`): the same
decisions, order and error rows as deciding row by row, on both engines, cross-check included."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

import socialpolicy as sp
from socialpolicy.engines import _durable

from .conftest import FIXTURES, comment

pytest.importorskip("durable_rules_engine")


def policy(engine: str, path: Any = FIXTURES / "mini.yaml") -> sp.Policy:
    return sp.load_policy(path, engine=engine)  # type: ignore[arg-type]


def mixed_rows(n: int) -> list[Any]:
    """Good comments of several outcomes, with bad rows and uncovered kinds in between."""
    good = [comment(labels=labels, platform=platform, author_prior_removals=removals,
                    posted_at=f"2026-03-0{day}T{hour:02d}:00:00+00:00")
            for labels, platform, removals, day, hour in itertools.product(
                ({"spam"}, {"targeted_abuse"}, set(), {"hate_speech", "spam"}),
                ("x", "facebook"), (0, 3), (4, 7), (10, 20))]
    bad: list[Any] = [
        {"kind": "comment", "labels": ["spamm"]},  # fails validation
        "not a subject",
        {"kind": "account_request", "platform": "x", "purpose": "blog",
         "requested_by": {"employment": "employee"}},  # a kind the policy does not cover
        {"kind": ["comment"]},
    ]
    rows: list[Any] = []
    for i in range(n):
        rows.append(bad[(i // 7) % len(bad)] if i % 7 == 3 else good[i % len(good)])
    return rows


def one_by_one(p: sp.Policy, rows: list[Any]) -> list[dict[str, Any]]:
    return [d.to_dict() for d in p.decide_iter(iter(rows), detectors=())]


def comparable(decisions: list[sp.Decision]) -> list[dict[str, Any]]:
    return [d.to_dict() for d in decisions]


@pytest.mark.parametrize("engine", ["durable", "reference"])
@pytest.mark.parametrize("chunk_size", [1, 5, 64, 1000])
def test_chunks_give_the_decisions_of_row_by_row(engine: str, chunk_size: int) -> None:
    p = policy(engine)
    rows = mixed_rows(150)  # more rows than every chunk size but the last
    batched = p.decide_many(rows, chunk_size=chunk_size, detectors=())
    assert comparable(batched) == one_by_one(p, rows)
    assert [d.row for d in batched] == list(range(len(rows)))
    outcomes = {str(d.outcome) for d in batched}
    assert {"error", "not_covered", "delete", "hide", "leave"} <= outcomes


def test_durable_batches_agree_with_the_reference_engine() -> None:
    rows = mixed_rows(300)
    durable = policy("durable").decide_many(rows, chunk_size=37)
    reference = policy("reference").decide_many(rows, chunk_size=37)
    assert [d.to_dict() | {"engine": ""} for d in durable] == \
        [d.to_dict() | {"engine": ""} for d in reference]


def test_a_chunk_is_one_engine_call(monkeypatch: pytest.MonkeyPatch) -> None:
    p = policy("durable")
    calls: list[int] = []
    real = p._engine.fire_each

    def counting(facts: Any) -> Any:
        calls.append(len(facts))
        return real(facts)

    monkeypatch.setattr(p._engine, "fire_each", counting)
    monkeypatch.setattr(p._engine, "fired", lambda facts: pytest.fail("called row by row"))
    rows = [comment(labels={"spam"})] * 25
    p.decide_many(rows, chunk_size=10)
    assert calls == [10, 10, 5]
    calls.clear()
    list(p.decide_iter(rows, chunk_size=10))  # a list is in memory: read ahead too
    assert calls == [10, 10, 5]


def test_a_stream_is_still_decided_as_each_row_arrives() -> None:
    p = policy("durable")
    read: list[int] = []

    def rows() -> Any:
        for i in itertools.count():
            read.append(i)
            yield comment(labels={"spam"})

    stream = p.decide_iter(rows(), detectors=(), chunk_size=50)
    assert [next(stream).row for _ in range(3)] == [0, 1, 2] and len(read) == 3


def test_a_sabotaged_batch_result_is_that_rows_error(monkeypatch: pytest.MonkeyPatch) -> None:
    p = policy("durable")
    real_fire = _durable._fire
    spam = next(name for name, (_, rule) in p._engine._rules.items()  # type: ignore[attr-defined]
                if rule == "spam-hide")

    def sabotaged(ruleset: Any, batch: Any) -> list[Any]:
        names = real_fire(ruleset, batch)
        # The engine "forgets" spam-hide for the third fact of every job.
        return [[n for n in fired if n != spam] if i == 2 else fired
                for i, fired in enumerate(names)]

    monkeypatch.setattr(_durable, "_fire", sabotaged)
    rows = [comment(labels={"spam"})] * 6
    decisions = p.decide_many(rows, chunk_size=4, detectors=())
    assert [str(d.outcome) for d in decisions] == ["hide", "hide", "error", "hide", "hide",
                                                   "hide"]
    assert decisions[2].error_detail[0].type == "EngineError"
    assert "disagree" in str(decisions[2].error) and "spam-hide" in str(decisions[2].error)
    with pytest.raises(sp.EngineError, match="disagree"):
        p._engine.fire_many([p._prepare(rows[0], None, (), ()).facts] * 3)  # type: ignore[union-attr]


def test_a_c_fault_mid_batch_costs_one_row_and_the_rest_run_on_a_rebuilt_ruleset(
        monkeypatch: pytest.MonkeyPatch) -> None:
    p = policy("durable")
    real = _durable._engine
    calls = itertools.count()

    class Faulty:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def assert_fact(self, handle: int, fact: str) -> Any:
            if next(calls) == 4:
                raise RuntimeError("Could not assert fact, error code: 307")
            return real.assert_fact(handle, fact)

    monkeypatch.setattr(_durable, "_engine", Faulty())
    retired = p._engine._compiled.retired  # type: ignore[attr-defined]
    rows = [comment(labels={"spam"}), comment()] * 5
    decisions = p.decide_many(rows, detectors=())
    assert [str(d.outcome) for d in decisions] == \
        ["hide", "leave"] * 2 + ["error"] + ["leave"] + ["hide", "leave"] * 2
    assert "error code: 307" in str(decisions[4].error)
    assert p._engine._compiled.retired == retired + 1  # type: ignore[attr-defined]


def test_a_timeout_while_the_batch_waits_is_every_waiting_rows_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    p = policy("durable")
    real = p._engine.fire_each
    calls = itertools.count()

    def interrupted(facts: Any) -> Any:
        if next(calls) == 1:
            raise TimeoutError("the caller's own time limit")
        return real(facts)

    monkeypatch.setattr(p._engine, "fire_each", interrupted)
    rows = [comment(labels={"spam"})] * 9
    decisions = p.decide_many(rows, chunk_size=3, detectors=())
    assert [str(d.outcome) for d in decisions] == ["hide"] * 3 + ["error"] * 3 + ["hide"] * 3
    assert {d.error_detail[0].type for d in decisions[3:6]} == {"TimeoutError"}
    assert [d.row for d in decisions] == list(range(9))
