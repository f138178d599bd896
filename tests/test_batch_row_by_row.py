"""A batch never does more work per row than a loop of `decide` calls.

The reference engine evaluates in this process, so one engine call per chunk gains it nothing:
`decide_many` decides each row before preparing the next, rather than holding a chunk's facts
(which made the garbage collector run about three times as often and the batch slower than the
loop). What a batch shares, it works out once: the detectors are checked once per call and the
review-date warning once per chunk. The durable engine still gets a chunk's facts in one call
(`test_durable_batch.py`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

import socialpolicy as sp
from socialpolicy import _batch
from socialpolicy import engine as engine_module

from .conftest import FIXTURES, comment

ROWS = 3000


def rows(n: int = ROWS) -> list[sp.Comment]:
    pool = [comment(labels=labels, author_prior_removals=prior, platform=platform)
            for labels in ({"spam"}, set(), {"targeted_abuse"}, {"medical_question"})
            for prior in (0, 2) for platform in ("x", "facebook")]
    return [pool[i % len(pool)] for i in range(n)]


@pytest.fixture
def collector() -> Iterator[None]:
    """The collector's default thresholds, whatever the session set, restored afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    gc.collect()
    try:
        yield
    finally:
        gc.set_threshold(*before)


def young_collections(run: Any) -> int:
    gc.collect()
    before = gc.get_stats()[0]["collections"]
    run()
    return int(gc.get_stats()[0]["collections"] - before)


def test_a_reference_batch_runs_the_collector_no_more_than_a_loop(collector: None) -> None:
    policy = sp.load_policy("mse_icb", engine="reference")
    subjects = rows()
    expected = [d.to_dict() for d in (policy.decide(s, detectors=()) for s in subjects)]
    many = young_collections(lambda: policy.decide_many(subjects, detectors=()))
    loop = young_collections(lambda: [policy.decide(s, detectors=()) for s in subjects])
    assert loop > 0  # the rows allocate enough to measure
    assert many <= loop + 1, (many, loop)
    decided = policy.decide_many(subjects, detectors=())
    assert [d.row for d in decided] == list(range(ROWS))
    assert [{**d.to_dict(), "row": None} for d in decided] == expected


def test_a_reference_batch_concludes_each_row_before_preparing_the_next(
        monkeypatch: pytest.MonkeyPatch) -> None:
    policy = sp.load_policy("mse_icb", engine="reference")
    steps: list[str] = []
    prepare, conclude = policy._prepare, policy._conclude

    def prepared(*args: Any) -> Any:
        steps.append("prepare")
        return prepare(*args)

    def concluded(*args: Any) -> Any:
        steps.append("conclude")
        return conclude(*args)

    monkeypatch.setattr(policy, "_prepare", prepared)
    monkeypatch.setattr(policy, "_conclude", concluded)
    decided = policy.decide_many(rows(600), detectors=())
    assert steps == ["prepare", "conclude"] * 600
    assert [d.row for d in decided] == list(range(600))


@pytest.mark.parametrize("detectors", [(), sp.signals.DEFAULT_DETECTORS])
def test_a_batch_checks_its_detectors_once(engine: str, detectors: Any,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    policy = sp.load_policy(FIXTURES / "mini.yaml", engine=engine)  # type: ignore[arg-type]
    calls: list[int] = []
    real = engine_module.check_detectors

    def counted(given: Any) -> None:
        calls.append(len(given))
        real(given)

    monkeypatch.setattr(engine_module, "check_detectors", counted)
    monkeypatch.setattr(_batch, "check_detectors", counted)
    policy.decide_many(rows(600), detectors=detectors)
    assert len(calls) == 1
    policy.decide(rows(1)[0], detectors=detectors)
    assert len(calls) == 2  # a single decision still checks its own
    with pytest.raises(sp.DetectorError):
        policy.decide_many(rows(3), detectors=[object()])  # type: ignore[list-item]


@pytest.mark.parametrize("as_of, warned", [(date(2026, 12, 31), False),
                                           (date(2027, 1, 2), True), (None, None)])
def test_a_batch_carries_the_review_warning_of_each_row(engine: str, as_of: date | None,
                                                        warned: bool | None) -> None:
    policy = sp.load_policy(FIXTURES / "mini.yaml", engine=engine)  # type: ignore[arg-type]
    subjects: list[Any] = [*rows(300), {"kind": "comment", "labels": ["spamm"]}]
    decided = policy.decide_many(subjects, as_of=as_of, detectors=())
    alone = [policy.decide(s, as_of=as_of, detectors=()).warnings for s in subjects[:-1]]
    assert [d.warnings for d in decided[:-1]] == alone
    review = [w for w in alone[0] if "review date" in w]
    if warned is not None:
        assert bool(review) is warned
    assert decided[-1].outcome == "error"
