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
