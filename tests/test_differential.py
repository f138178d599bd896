"""Property tests over generated subjects, for every bundled policy.

Differential: durable_rules and the reference engine give the same decision. Metamorphic: what
should not matter (the order labels are listed in, the offset a time is written in, a move within
the same working or out-of-hours stretch) does not change the decision.

Examples per test come from the Hypothesis profile in conftest (`ci`: a fixed seed, 200).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import socialpolicy as sp
from socialpolicy.testing import account_requests, comments, staff_posts
from socialpolicy.timing import WorkingHours

KINDS = ("comment", "staff_post", "account_request")
POLICIES = sp.available_policies()
AS_OF = date(2026, 6, 1)  # review-date warnings judged on a fixed day, not today
MIN_EXAMPLES = 200  # per policy and kind, in CI


@cache
def policy(policy_id: str, engine: str = "durable") -> sp.Policy:
    return sp.load_policy(policy_id, engine=engine)  # type: ignore[arg-type]


def subjects_for(policy_id: str, kind: str) -> st.SearchStrategy[Any]:
    """Subjects of `kind`, with handles and disclaimers in the policy's own words."""
    document = policy(policy_id, "reference").document
    if kind == "comment":
        return comments()
    if kind == "staff_post":
        return staff_posts(names=document.names, disclaimers=document.disclaimers)
    return account_requests(names=document.names)


def covered(kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    """(policy, kind) pairs where the policy has rules for the kind."""
    return [(pid, kind) for pid in POLICIES for kind in kinds
            if any(rule.applies_to == kind for rule in policy(pid, "reference").rules)]


def view(decision: sp.Decision) -> dict[str, Any]:
    """What a reader compares first: readable when two decisions differ."""
    return {
        "outcome": str(decision.outcome),
        "citations": sorted(c.clause_id for c in decision.citations),
        "actions": sorted((a.kind, a.target or "") for a in decision.actions),
        "respond_by": decision.respond_by,
        "findings": sorted(f.rule_id for f in decision.findings),
        "warnings": decision.warnings,
        "reason": decision.reason,
    }


def full(decision: sp.Decision) -> dict[str, Any]:
    return decision.to_dict() | {"engine": ""}


# ---- differential ----------------------------------------------------------------------------


@pytest.mark.needs_durable  # compares the two engines
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("policy_id", POLICIES)
def test_durable_and_reference_engines_agree(policy_id: str, kind: str) -> None:
    durable, reference = policy(policy_id, "durable"), policy(policy_id, "reference")
    outcomes: list[str] = []

    @given(subjects_for(policy_id, kind))
    def agree(subject: Any) -> None:
        a, b = durable.decide(subject, as_of=AS_OF), reference.decide(subject, as_of=AS_OF)
        assert (a.engine, b.engine) == ("durable", "reference")
        assert view(a) == view(b)
        assert full(a) == full(b)
        outcomes.append(str(a.outcome))

    agree()
    assert len(outcomes) >= max(MIN_EXAMPLES, settings().max_examples), (
        "too few examples: run the property tests with the `ci` or `nightly` profile")
    if any(rule.applies_to == kind for rule in reference.rules):
        # Not just noise: the generated subjects reach most of the kind's outcome scale.
        assert len(set(outcomes) - {"not_covered"}) >= 2, set(outcomes)
    else:
        assert set(outcomes) == {"not_covered"}


# ---- metamorphic: label order ----------------------------------------------------------------


@pytest.mark.parametrize(("policy_id", "kind"), covered(("comment", "staff_post")))
def test_label_order_does_not_change_the_decision(policy_id: str, kind: str) -> None:
    decide = policy(policy_id).decide

    @given(subjects_for(policy_id, kind), st.data())
    def same(subject: Any, data: st.DataObject) -> None:
        labels = data.draw(st.permutations(sorted(subject.labels)))
        repeated = data.draw(st.lists(st.sampled_from(labels), max_size=2)) if labels else []
        row = subject.model_dump(mode="json") | {"labels": [*labels, *repeated]}
        assert full(decide(row, as_of=AS_OF)) == full(decide(subject, as_of=AS_OF))

    same()


# ---- metamorphic: time -----------------------------------------------------------------------


def stretch(hours: WorkingHours, moment: datetime) -> tuple[datetime, datetime, bool]:
    """The stretch [start, end) of working time, or of time outside it, holding `moment`."""
    zone = ZoneInfo(hours.timezone)
    local = hours.local(moment)
    if hours.is_working_time(local):
        day = local.date()
        return (datetime.combine(day, hours.start, tzinfo=zone),
                datetime.combine(day, hours.end, tzinfo=zone), True)
    day = local.date()
    while not (hours.is_working_day(day)
               and datetime.combine(day, hours.end, tzinfo=zone) <= local):
        day -= timedelta(days=1)
    return datetime.combine(day, hours.end, tzinfo=zone), hours.clock_start(local), False


def test_stretch_of_a_bank_holiday_weekend() -> None:
    hours = WorkingHours()
    london = ZoneInfo("Europe/London")
    start, end, working = stretch(hours, datetime(2026, 4, 4, 12, tzinfo=UTC))  # Easter Saturday
    assert (start, end, working) == (datetime(2026, 4, 2, 17, tzinfo=london),
                                     datetime(2026, 4, 7, 9, tzinfo=london), False)
    start, end, working = stretch(hours, datetime(2026, 4, 7, 9, tzinfo=london))
    assert (start.time(), end.time(), working) == (time(9), time(17), True)
    start, end, working = stretch(hours, datetime(2026, 3, 29, 1, 30, tzinfo=UTC))  # clocks go on
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=63)
    assert end - start == timedelta(hours=64)  # why the test moves times in UTC


OFFSETS = (UTC, ZoneInfo("Europe/London"), timezone(timedelta(hours=-8)),
           timezone(timedelta(hours=5, minutes=30)))


@pytest.mark.parametrize("policy_id", [pid for pid, _ in covered(("comment",))
                                       if policy(pid, "reference").document.working_hours])
def test_moving_within_the_same_stretch_keeps_the_decision(policy_id: str) -> None:
    hours = policy(policy_id).document.working_hours
    assert hours is not None
    decide = policy(policy_id).decide

    @given(comments(), st.data())
    def same(comment: sp.Comment, data: st.DataObject) -> None:
        start, end, working = stretch(hours, comment.posted_at)
        start = start.astimezone(UTC)  # aware arithmetic in one zone is wall-clock arithmetic
        span = (end.astimezone(UTC) - start) // timedelta(microseconds=1)
        moved_to = (start
                    + timedelta(microseconds=data.draw(st.integers(0, span - 1), "offset"))
                    ).astimezone(data.draw(st.sampled_from(OFFSETS), "written in"))
        moved = sp.Comment.model_validate(comment.model_dump() | {"posted_at": moved_to})
        before, after = decide(comment, as_of=AS_OF), decide(moved, as_of=AS_OF)
        assert view(after) | {"respond_by": None} == view(before) | {"respond_by": None}
        assert (before.respond_by is None) == (after.respond_by is None)
        if before.respond_by is not None and after.respond_by is not None:
            if working:  # the clock starts at receipt: the deadline moves with it
                assert after.respond_by - before.respond_by == moved_to - comment.posted_at
            else:  # the clock starts at the next opening, wherever in the stretch it came
                assert after.respond_by == before.respond_by
        same_instant = moved.model_copy(update={"posted_at": moved_to.astimezone(UTC)})
        assert full(decide(same_instant, as_of=AS_OF)) == full(after)

    same()
