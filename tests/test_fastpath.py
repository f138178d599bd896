"""The fast decision path agrees with the slow one it replaced.

The reference engine runs each kind's rules as one compiled Python function; the IR interpreter
(`conditions.evaluate`) stays the oracle. Decisions reuse per-policy findings and memoised
combinations, so a decision must not depend on what was decided before it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import socialpolicy as sp
from socialpolicy.engines.reference import ReferenceEngine, compile_rules
from socialpolicy.signals import derive
from socialpolicy.testing import subjects
from socialpolicy.timing import CalendarRangeError, WorkingHours

POLICIES = sp.available_policies()


@cache
def reference(policy_id: str) -> sp.Policy:
    return sp.load_policy(policy_id, engine="reference")


@pytest.mark.parametrize("policy_id", POLICIES)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_compiled_rules_match_the_interpreter(policy_id: str, data: st.DataObject) -> None:
    policy = reference(policy_id)
    engine = ReferenceEngine(policy.ir)
    document = policy.document
    subject = data.draw(subjects(names=document.names, disclaimers=document.disclaimers))
    facts, _ = derive(subject, document)
    assert engine.fired(facts) == engine.fired_interpreted(facts)


def test_compiled_source_holds_no_policy_text() -> None:
    """Keys and values reach the generated function as constants, never as source text."""
    hostile = "x') or __import__('os').system('true') or ('"
    fired = compile_rules([{"id": hostile, "when": {"key": hostile, "op": "eq", "value": hostile}}])
    assert fired({hostile: hostile}) == frozenset({hostile})
    assert fired({hostile: "other"}) == frozenset()


def test_compiled_rules_reject_non_scalar_values() -> None:
    with pytest.raises(ValueError, match="cannot compile"):
        compile_rules([{"id": "r", "when": {"key": "k", "op": "eq", "value": [1]}}])


def _comment(**fields: Any) -> sp.Comment:
    base: dict[str, Any] = {"platform": "facebook", "text": "", "author": "@a",
                            "posted_at": datetime(2026, 4, 2, 10, tzinfo=UTC)}
    return sp.Comment(**{**base, **fields})


def test_same_rules_on_different_platforms_do_not_share_a_combination() -> None:
    policy = reference("mse_icb")
    on_facebook = policy.decide(_comment(labels={"misinformation"}), detectors=())
    on_x = policy.decide(_comment(platform="x", labels={"misinformation"}), detectors=())
    again = policy.decide(_comment(labels={"misinformation"}), detectors=())
    assert on_facebook.to_dict() == again.to_dict()
    assert [f.rule_id for f in on_facebook.findings] == [f.rule_id for f in on_x.findings]
    for decision in (on_facebook, on_x):
        assert decision.outcome != "leave" and decision.citations


def test_evidence_is_per_decision() -> None:
    """A finding with evidence is the decision's own; the shared one carries none."""
    policy = reference("mse_icb")
    with_phone = policy.decide(_comment(text="call me on 07700 900123"))
    plain = policy.decide(_comment(labels={"personal_details"}), detectors=())
    assert any(f.evidence for f in with_phone.findings)
    assert all(not f.evidence for f in plain.findings)


def test_deadline_beyond_the_calendar_is_a_clear_error() -> None:
    hours = WorkingHours()
    with pytest.raises(CalendarRangeError, match="beyond the last date"):
        hours.add_working_days(datetime(9999, 12, 31, 10, tzinfo=UTC), 2)
    with pytest.raises(CalendarRangeError, match="outside the dates"):
        hours.local(datetime.fromisoformat("0001-01-01T00:00:00+14:00"))


def test_memoised_working_days_match_a_day_by_day_count() -> None:
    hours = WorkingHours()
    received = datetime(2026, 4, 2, 10, tzinfo=UTC)  # Thursday before Easter
    assert hours.add_working_days(received, 2).date().isoformat() == "2026-04-08"
    assert hours.add_working_days(received, 2) == hours.add_working_days(received, 2)
