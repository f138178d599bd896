"""Subjects are strict: bad fields, unknown labels and naive datetimes are clear errors."""

from __future__ import annotations

from datetime import datetime

import pytest
from pydantic import ValidationError

import socialpolicy as sp
from socialpolicy.subjects import CONDITION_FIELDS

from .conftest import comment, staff_post


def test_unknown_label_names_the_field_and_the_closest_label() -> None:
    with pytest.raises(ValidationError) as caught:
        comment(labels={"targted_abuse"})
    (error,) = caught.value.errors()
    assert error["loc"] == ("labels",)
    assert "did you mean `targeted_abuse`?" in error["msg"]


def test_staff_post_labels_are_a_different_vocabulary() -> None:
    with pytest.raises(ValidationError, match="unknown staff-post label `spam`"):
        staff_post(labels={"spam"})


def test_naive_datetime_is_rejected_with_the_reason() -> None:
    with pytest.raises(ValidationError) as caught:
        comment(posted_at=datetime(2026, 4, 2, 10, 0))
    (error,) = caught.value.errors()
    assert error["loc"] == ("posted_at",)
    assert "has no timezone" in error["msg"] and "+00:00" in error["msg"]


def test_unknown_field_is_forbidden() -> None:
    with pytest.raises(ValidationError) as caught:
        comment(colour="red")
    assert caught.value.errors()[0]["loc"] == ("colour",)


def test_bad_enum_value_names_the_nested_field() -> None:
    with pytest.raises(ValidationError) as caught:
        staff_post(account={"handle": "@a", "kind": "private"})
    assert caught.value.errors()[0]["loc"] == ("account", "kind")


def test_subjects_are_frozen() -> None:
    subject = comment()
    with pytest.raises(ValidationError):
        subject.text = "changed"  # type: ignore[misc]


def test_negative_prior_removals_rejected() -> None:
    with pytest.raises(ValidationError):
        comment(author_prior_removals=-1)


def test_blank_optional_text_counts_as_absent() -> None:
    request = sp.AccountRequest(platform="x", purpose="department", stakeholder_group="  ")
    assert request.stakeholder_group is None


def test_condition_fields_come_from_the_models() -> None:
    assert CONDITION_FIELDS["staff_post"]["account.kind"].choices == (
        "personal", "professional", "departmental", "corporate")
    assert CONDITION_FIELDS["comment"]["author_prior_removals"].type == "int"
    assert CONDITION_FIELDS["account_request"]["stakeholder_group"].type == "present"
    assert "text" not in CONDITION_FIELDS["comment"]


@pytest.mark.parametrize("text", ["yes", "off", "true", "n", "0", ""])
def test_text_is_not_a_boolean(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        staff_post(about_employer=text)
    (error,) = caught.value.errors()
    assert error["loc"] == ("about_employer",)
    assert f"`{text}` is text, not a boolean" in error["msg"] and "true or false" in error["msg"]
    with pytest.raises(ValidationError, match="not a boolean"):
        staff_post(account={"handle": "@a", "public": text})
    with pytest.raises(ValidationError, match="not a boolean"):
        sp.AccountRequest(platform="x", purpose="blog", secure_login=text)


@pytest.mark.parametrize("number", [0, 1, 1.0, 2])
def test_a_number_is_not_a_boolean(number: float) -> None:
    with pytest.raises(ValidationError) as caught:
        staff_post(about_employer=number)
    (error,) = caught.value.errors()
    assert error["loc"] == ("about_employer",) and error["type"] == "bool_from_number"
    assert f"`{number}` is a number, not a boolean" in error["msg"]
    with pytest.raises(ValidationError, match="not a boolean") as nested:
        staff_post(account={"handle": "@a", "public": number})
    assert nested.value.errors()[0]["loc"] == ("account", "public")
    with pytest.raises(ValidationError, match="not a boolean"):
        sp.AccountRequest(platform="x", purpose="blog", requested_by={
            "is_communications_team": number})


def test_real_booleans_still_validate_and_stay_condition_fields() -> None:
    post = staff_post(about_employer=True, account={"handle": "@a", "public": False})
    assert post.about_employer is True and post.account.public is False
    assert CONDITION_FIELDS["staff_post"]["about_employer"].type == "bool"
    assert CONDITION_FIELDS["account_request"]["secure_login"].type == "bool"


@pytest.mark.parametrize("posted_at", ["0001-01-01T00:00:00+14:00", "1899-12-31T23:59:59Z",
                                       "3000-01-01T00:00:00Z", "9999-12-31T23:00:00+00:00"])
def test_dates_outside_the_supported_range_are_rejected_clearly(posted_at: str) -> None:
    with pytest.raises(ValidationError) as caught:
        comment(posted_at=posted_at)
    (error,) = caught.value.errors()
    assert error["loc"] == ("posted_at",)
    assert "outside the supported range: years 1900 to 2999" in error["msg"]
    with pytest.raises(ValidationError, match="outside the supported range"):
        staff_post(posted_at=posted_at)


@pytest.mark.parametrize("engine", ["durable", "reference"])
@pytest.mark.parametrize("posted_at", ["1900-01-01T00:00:00+14:00", "2999-12-31T23:59:59-12:00"])
def test_dates_at_the_ends_of_the_range_decide_with_a_deadline(posted_at: str,
                                                               engine: str) -> None:
    decision = sp.decide(comment(posted_at=posted_at, channel="comment"), policy="mse_icb",
                         engine=engine)  # type: ignore[arg-type]
    assert decision.respond_by is not None and decision.respond_by > decision_time(posted_at)


def decision_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize("value", [2**53, 2**63, 10**30])
def test_counts_beyond_exact_comparison_are_rejected(value: int) -> None:
    with pytest.raises(ValidationError) as caught:
        comment(author_prior_removals=value)
    (error,) = caught.value.errors()
    assert error["loc"] == ("author_prior_removals",) and "is too large" in error["msg"]
    assert "9,007,199,254,740,991" in error["msg"]
    with pytest.raises(ValidationError, match="is too large"):
        sp.AccountRequest(platform="x", purpose="survey", checks_per_day=value)


def test_the_largest_exact_count_decides_the_same_on_both_engines() -> None:
    subject = comment(author_prior_removals=2**53 - 1)
    decisions = [sp.decide(subject, policy="mse_icb", engine=e).to_dict()  # type: ignore[arg-type]
                 for e in ("durable", "reference")]
    assert decisions[0] | {"engine": ""} == decisions[1] | {"engine": ""}
