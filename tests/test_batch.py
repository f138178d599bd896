"""decide_many and decide_iter: exactly one decision per input row, in order, whatever the row.

Arbitrary JSON values as rows must each come back as one decision (an `error` one when the row
is not a subject) and never as an exception; workers and streaming give the same answers.
"""

from __future__ import annotations

import itertools
import os
from datetime import UTC, datetime
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import socialpolicy as sp
from socialpolicy.decision import RowError

GOOD: dict[str, Any] = {"kind": "comment", "platform": "facebook", "text": "hello",
                        "author": "@a", "posted_at": "2026-04-02T10:00:00+00:00",
                        "labels": ["spam"]}


@cache
def policy(engine: str = "reference") -> sp.Policy:
    return sp.load_policy("mse_icb", engine=engine)  # type: ignore[arg-type]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                               max_size=4),
    max_leaves=12)
# Rows that look like subjects but break in every way a field can.
NEAR = st.fixed_dictionaries({}, optional={k: JSON | st.just(v) for k, v in GOOD.items()})


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(JSON | NEAR, max_size=6))
def test_arbitrary_json_rows_get_one_decision_each(rows: list[Any]) -> None:
    decisions = policy().decide_many([GOOD, *rows, GOOD], detectors=())
    assert len(decisions) == len(rows) + 2
    assert [d.row for d in decisions] == list(range(len(rows) + 2))
    expected = policy().decide(GOOD, detectors=()).outcome
    assert expected != "error" and decisions[0].outcome == decisions[-1].outcome == expected
    for decision in decisions:
        if decision.outcome == "error":
            assert decision.error and decision.error_detail
            assert all(isinstance(e, RowError) for e in decision.error_detail)


def test_the_reported_bad_rows_do_not_lose_the_batch() -> None:
    rows: list[Any] = [GOOD, {"kind": ["comment"]}, GOOD, 42, None, "comment",
                       {**GOOD, "posted_at": "0001-01-01T00:00:00+14:00"},
                       {**GOOD, "posted_at": "9999-12-31T10:00:00+00:00",
                        "labels": ["medical_question"]}, GOOD]
    for engine in ("reference", "durable"):
        decisions = policy(engine).decide_many(rows, detectors=())
        outcomes = [str(d.outcome) for d in decisions]
        expected = str(policy(engine).decide(GOOD, detectors=()).outcome)
        assert outcomes[0] == outcomes[2] == outcomes[-1] == expected != "error"
        assert outcomes[1] == outcomes[3] == outcomes[4] == outcomes[5] == "error"
        assert decisions[3].error_detail[0].type == "SubjectKindError"
        assert outcomes[6] == outcomes[7] == "error", decisions[7]
        # Rejected by validation now (years 1900-2999), so located inside the tagged subject.
        assert decisions[6].error_detail[0].loc[-1] == "posted_at"
        assert decisions[6].error_detail[0].type == "datetime_out_of_range"
        assert "calendar" in (decisions[7].error or "")
        assert [d.row for d in decisions] == list(range(len(rows)))


def test_validation_errors_are_located() -> None:
    bad = {**GOOD, "labels": ["targted_abuse"]}
    [decision] = policy().decide_many([bad])
    assert decision.outcome == "error" and decision.row == 0 and decision.kind == "comment"
    [detail] = decision.error_detail
    assert detail.loc[:2] == ("comment", "labels") and "targeted_abuse" in detail.message
    assert decision.to_dict()["error_detail"][0]["loc"][:2] == ["comment", "labels"]


def test_engine_faults_become_error_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = sp.load_policy("mse_icb", engine="reference")
    calls = itertools.count()

    def flaky(facts: Any) -> frozenset[str]:
        if next(calls) == 1:
            raise sp.EngineError("engine fell over")
        return frozenset()

    monkeypatch.setattr(fresh._engine, "fired", flaky)
    decisions = fresh.decide_many([GOOD, GOOD, GOOD], detectors=())
    assert [str(d.outcome) for d in decisions] == [
        str(fresh.decide(GOOD, detectors=()).outcome), "error", "leave"]
    assert decisions[1].error_detail[0].type == "EngineError"


def test_bad_call_options_raise_before_any_row() -> None:
    with pytest.raises(ValueError, match="workers"):
        policy().decide_many([GOOD], workers=0)
    with pytest.raises(sp.DetectorError):
        policy().decide_many([GOOD], detectors=[object()])  # type: ignore[list-item]


def test_decide_iter_streams() -> None:
    """Decisions come out while the input is still being read."""
    read: list[int] = []

    def rows() -> Any:
        for i in itertools.count():
            read.append(i)
            yield GOOD

    stream = policy().decide_iter(rows(), detectors=())
    first = [next(stream) for _ in range(3)]
    assert [d.row for d in first] == [0, 1, 2] and len(read) == 3


def test_workers_give_the_same_decisions_in_order() -> None:
    base = datetime(2026, 4, 2, 10, tzinfo=UTC)
    labels = ["spam", "misinformation", "criticism", "targeted_abuse", "foi_request"]
    rows: list[Any] = [sp.Comment(platform=("x", "facebook")[i % 2], text="", author="@a",
                                  posted_at=base, labels={labels[i % len(labels)]})
                       for i in range(40)]
    rows[7] = {"kind": ["comment"]}
    rows[20] = object()  # cannot be sent to a worker: decided here instead
    one = policy().decide_many(rows, detectors=())
    two = policy().decide_many(rows, detectors=(), workers=2, chunk_size=6)
    assert [d.to_dict() for d in two] == [d.to_dict() for d in one]
    assert two[7].outcome == "error" and two[20].outcome == "error"


def _rule_examples(chosen: sp.Policy) -> list[Any]:
    """Every rule example of a policy as a subject, then as the plain dict a caller might send:
    rows of every kind, firing every rule, with text the detectors find things in."""
    from socialpolicy.policy.model import example_subject

    subjects = [example_subject(rule.applies_to, example.fields,
                                chosen.document.example_defaults.get(rule.applies_to))
                for rule in chosen.rules for example in rule.examples]
    return [*subjects, *(s.model_dump(mode="json") for s in subjects)]


@pytest.mark.parametrize(("policy_id", "engine"), [("mse_icb", "reference"), ("mhra", "durable")])
def test_a_helpers_half_decisions_are_finished_the_same_here(policy_id: str, engine: str) -> None:
    """A helper process sends back only what the rules found (kind, fired rules, evidence,
    warnings); this process builds the decision from its own plan. Round trip through pickle,
    in one process: the same decisions as deciding the rows here, subjects included."""
    import pickle

    from socialpolicy import _batch, _parallel

    chosen = sp.load_policy(policy_id, engine=engine)  # type: ignore[arg-type]
    spoken = sp.Comment(platform="x", text="ring me on 07700 900123, you fucking liar",
                        author="@a", posted_at="2026-04-02T20:00:00+00:00")
    rows = [*_rule_examples(chosen), spoken, {"kind": "comment"}, "not a row"]
    options = {"platform_capabilities": {"x": ["hide"]}, "as_of": None, "detectors": None,
               "staff_directory": ("Dr Jane Example",)}
    _parallel._WORKER.update(policy=chosen, options=options)
    try:
        sent = pickle.loads(pickle.dumps(_parallel._evaluate_chunk(5, pickle.loads(
            pickle.dumps(rows)), 7)))
    finally:
        _parallel._WORKER.clear()
    here = _batch.decide_block(chosen, rows, options, 5)
    back = _batch.conclude_block(chosen, rows, _parallel._resume(chosen, rows, options, sent),
                                 options, 5)
    assert [d.to_dict() for d in back] == [d.to_dict() for d in here]
    assert [d.row for d in back] == list(range(5, 5 + len(rows)))
    assert any(d.detected for d in back)  # the detectors found something to carry over
    for row, decision, local in zip(rows, back, here, strict=True):
        if isinstance(row, dict):  # validated in the helper: its subject comes back
            assert decision.subject == local.subject
        elif decision.outcome != "error":
            assert decision.subject is row  # the caller's own object, not a copy


def test_workers_share_the_rows_with_this_process_and_agree(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`workers=2`: one helper process and this one both decide chunks; the answer is the same
    rows, order and decisions as deciding them all here."""
    from socialpolicy import _parallel

    chosen = policy()
    rows = _rule_examples(chosen) * 12
    by: dict[str, int] = {"helper": 0, "here": 0}
    collect = _parallel._collect

    def counting(policy: sp.Policy, options: Any, chunk: Any, *rest: Any) -> Any:
        yield from collect(policy, options, chunk, *rest)
        by["helper" if chunk.result is not None else "here"] += len(chunk.rows)

    monkeypatch.setattr(_parallel, "_collect", counting)
    # This process never takes a chunk back, so the helper surely decides some (it starts in
    # about the time this process needs for all the rows).
    monkeypatch.setattr(_parallel, "_claim", lambda path, suffix: False)
    one = chosen.decide_many(rows)
    two = chosen.decide_many(rows, workers=2, chunk_size=8)
    assert [d.to_dict() for d in two] == [d.to_dict() for d in one]
    assert all(a.subject == b.subject for a, b in zip(one, two, strict=True))
    assert by["helper"] > 0 and by["here"] > 0 and sum(by.values()) == len(rows)


def test_a_helper_that_dies_leaves_its_chunks_to_this_process(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A helper killed mid-batch: every row still gets its decision, in order, decided here."""
    import os
    import signal

    from socialpolicy import _parallel

    chosen = policy()
    rows = _rule_examples(chosen) * 12
    send = _parallel._Helpers.send

    def send_then_die(self: Any, helper: int, chunk: Any, block: int) -> bool:
        sent = send(self, helper, chunk, block)
        if chunk.start > 0:  # the first chunk goes through; then the helper is killed
            pid = self.processes[helper].pid
            if pid is not None and self.processes[helper].is_alive():
                os.kill(pid, signal.SIGKILL)
        return sent

    failed: list[int] = []
    collect = _parallel._collect

    def counting(policy: sp.Policy, options: Any, chunk: Any, *rest: Any) -> Any:
        yield from collect(policy, options, chunk, *rest)
        if chunk.failed:
            failed.append(chunk.start)

    monkeypatch.setattr(_parallel._Helpers, "send", send_then_die)
    monkeypatch.setattr(_parallel, "_collect", counting)
    one = chosen.decide_many(rows)
    two = chosen.decide_many(rows, workers=2, chunk_size=8)
    assert [d.to_dict() for d in two] == [d.to_dict() for d in one]
    assert failed  # chunks the dead helper held were decided here


def test_a_stream_read_in_part_stops_its_helpers() -> None:
    """Reading only the first decisions of a long stream and closing it: the helpers stop and
    the chunk files are removed."""
    import glob
    import multiprocessing
    import tempfile

    before = set(glob.glob(os.path.join(tempfile.gettempdir(), "socialpolicy-batch-*")))
    stream = policy().decide_iter(itertools.repeat(GOOD, 100_000), workers=2, chunk_size=16)
    assert [d.row for d in itertools.islice(stream, 40)] == list(range(40))
    stream.close()  # type: ignore[attr-defined]
    after = set(glob.glob(os.path.join(tempfile.gettempdir(), "socialpolicy-batch-*")))
    assert after == before
    assert not [p for p in multiprocessing.active_children() if p.daemon]


def test_a_chunk_is_decided_by_whoever_claims_its_file_first(tmp_path: Any) -> None:
    """A chunk sent to a helper is a file; the helper and this process each claim it by
    renaming it, so exactly one decides it. A helper finding it gone answers None (decide it
    yourself); this process takes back only what no helper has claimed."""
    import pickle
    from multiprocessing import Pipe

    from socialpolicy import _batch, _parallel

    chosen = policy()
    rows = _rule_examples(chosen)[:20]
    options = {"platform_capabilities": None, "as_of": None, "detectors": None,
               "staff_directory": ()}
    policy_file = tmp_path / "policy"
    policy_file.write_bytes(pickle.dumps((chosen.document, chosen._ir, "reference", options)))
    for start in (0, 20):
        (tmp_path / f"{start}.rows").write_bytes(pickle.dumps(rows))
    kept = _parallel._Chunk(20, rows, helper=0, path=str(tmp_path / "20.rows"))
    assert _parallel._kept(chosen, options, kept)  # unclaimed: decided here, file gone
    assert [d.to_dict() for d in kept.decided or []] == [
        d.to_dict() for d in _batch.decide_block(chosen, rows, options, 20)]
    assert not (tmp_path / "20.rows").exists()
    inbox_read, inbox = Pipe(duplex=False)
    outbox, outbox_write = Pipe(duplex=False)
    for start in (0, 20):
        inbox.send((start, str(tmp_path / f"{start}.rows"), 8))
    inbox.send(None)
    _parallel._WORKER.clear()
    try:
        _parallel._helper_main(str(policy_file), inbox_read, outbox_write)
    finally:
        _parallel._WORKER.clear()
    answered, taken_back = outbox.recv(), outbox.recv()
    assert answered[0] == 0 and answered[1] is not None and taken_back == (20, None)
    items = _parallel._read(answered[1])
    assert items is not None and len(items) == len(rows)
    late = _parallel._Chunk(0, rows, helper=0, path=str(tmp_path / "0.rows"))
    assert not _parallel._kept(chosen, options, late)  # the helper had claimed it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["policy"]  # nothing left behind
