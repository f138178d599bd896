"""A subclass of a subject can override validators, field types or `model_construct`, so what
it accepted proves nothing: everything that decides on a subject validates a subclass's
instance again through the model it extends, and never gives a lenient decision on it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

import socialpolicy as sp
from socialpolicy.subjects import revalidated

WHEN = "2026-04-02T10:00:00+01:00"
ABUSE = {"platform": "x", "text": "Nurse Jane should be strung up", "author": "@a",
         "posted_at": WHEN, "labels": {"targeted_abuse"}}


class Unchecked(sp.Comment):
    """Builds without any validation, as pydantic's own `model_construct` does."""

    @classmethod
    def model_construct(cls, _fields_set: set[str] | None = None, **values: Any) -> Self:
        return BaseModel.model_construct.__func__(cls, _fields_set, **values)  # type: ignore[attr-defined, no-any-return]


class LooseLabels(sp.Comment):
    """Overrides two fields with their bare types: no label check, no timezone check."""

    labels: frozenset[str] = frozenset()  # type: ignore[assignment]
    posted_at: datetime


class UncheckedAccount(sp.Account):
    @classmethod
    def model_construct(cls, _fields_set: set[str] | None = None, **values: Any) -> Self:
        return BaseModel.model_construct.__func__(cls, _fields_set, **values)  # type: ignore[attr-defined, no-any-return]


class WithMethod(sp.Comment):
    """A harmless subclass: a helper method, no change to fields or validation."""

    def shouting(self) -> bool:
        return self.text.isupper()


@pytest.fixture(scope="module", params=["reference", "durable"])
def policy(request: pytest.FixtureRequest) -> sp.Policy:
    return sp.load_policy("mse_icb", engine=request.param)


def test_a_subclass_that_skips_validation_is_never_decided_leniently(policy: sp.Policy) -> None:
    # A misspelt label matches no rule: accepted unchecked, the comment would be left up.
    lenient = Unchecked.model_construct(platform="x", text="hello", author="@a",
                                        posted_at=datetime(2026, 4, 2, 10),
                                        labels=frozenset({"targted_abuse"}))
    assert isinstance(lenient, Unchecked)  # the subclass did skip validation
    with pytest.raises(ValidationError) as caught:
        policy.decide(lenient)
    assert {error["loc"] for error in caught.value.errors()} == {("posted_at",), ("labels",)}
    with pytest.raises(ValidationError, match="did you mean `targeted_abuse`"):
        policy.explain(lenient)
    [row] = policy.decide_many([lenient])
    assert row.outcome == "error" and row.row == 0 and row.kind == "comment"
    assert "labels: unknown comment label `targted_abuse`" in (row.error or "")
    assert "posted_at: datetime `2026-04-02T10:00:00` has no timezone" in (row.error or "")


def test_a_subclass_that_loosens_fields_is_held_to_the_models_rules(policy: sp.Policy) -> None:
    loose = LooseLabels(platform="x", text="hello", author="@a",
                        posted_at=datetime(2026, 4, 2, 10), labels={"targted_abuse"})
    [row] = policy.decide_many([loose, sp.Comment(**ABUSE)])[:1]
    assert row.outcome == "error"
    assert [detail.loc for detail in row.error_detail] == [("posted_at",), ("labels",)]


def test_a_nested_account_subclass_is_validated_by_account() -> None:
    account = UncheckedAccount.model_construct(handle=5, kind="bogus")
    with pytest.raises(ValidationError) as caught:
        sp.StaffPost(platform="x", text="t", posted_at=WHEN, account=account)
    assert {error["loc"] for error in caught.value.errors()} == {("account", "handle"),
                                                                ("account", "kind")}


def test_a_field_only_the_subclass_has_is_an_unknown_field(policy: sp.Policy) -> None:
    class Queued(sp.Comment):
        model_config = ConfigDict(extra="allow")
        queue: str = "moderation"

    [row] = policy.decide_many([Queued(**ABUSE)])
    assert row.outcome == "error"
    assert (row.error or "").startswith("queue: not a field of a comment; hint: remove it")


def test_a_harmless_subclass_is_decided_as_its_model(policy: sp.Policy) -> None:
    subject = WithMethod(**ABUSE)
    decision = policy.decide(subject)
    expected = policy.decide(sp.Comment(**ABUSE))
    assert decision.outcome == expected.outcome == "hide"
    assert decision.actions == expected.actions and decision.citations == expected.citations
    assert type(decision.subject) is sp.Comment  # what was decided is what the model accepted
    assert [d.outcome for d in policy.decide_many([subject, subject])] == ["hide", "hide"]


def test_revalidated_keeps_an_instance_of_the_model_itself() -> None:
    comment = sp.Comment(**ABUSE)
    assert revalidated(comment) is comment
    again = revalidated(WithMethod(**ABUSE))
    assert type(again) is sp.Comment and again == comment


@pytest.mark.needs_extras
def test_why_not_validates_a_subclass_too() -> None:
    policy = sp.load_policy("mse_icb", engine="reference")
    lenient = Unchecked.model_construct(platform="x", text="hello", author="@a",
                                        posted_at=WHEN, labels=frozenset({"targted_abuse"}))
    with pytest.raises(ValidationError, match="did you mean `targeted_abuse`"):
        policy.why_not(lenient, outcome="delete")
    answer = policy.why_not(WithMethod(**ABUSE), outcome="hide")
    assert answer.already and type(answer.subject) is sp.Comment
