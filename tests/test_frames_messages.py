"""The `error` column and the column check speak to someone holding a spreadsheet: each names
the field and the cell's value, then says how to fix it."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import socialpolicy as sp
from socialpolicy.frames import PolicyReviewWarning, RowErrorWarning

WHEN = "2026-02-02T10:00:00+00:00"


@pytest.fixture(scope="module")
def policy() -> sp.Policy:
    return sp.load_policy("mse_icb", engine="reference")


def _errors(policy: sp.Policy, **cells: object) -> str:
    """The `error` cell of one comment row, `cells` overriding a valid row."""
    row: dict[str, object] = {"platform": "x", "text": "hi", "author": "@a", "posted_at": WHEN,
                              "labels": None}
    row.update(cells)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PolicyReviewWarning)
        warnings.simplefilter("ignore", RowErrorWarning)
        out = policy.decide_frame(pd.DataFrame([row], index=["c1"]))
    assert out.loc["c1", "outcome"] == "error"
    return str(out.loc["c1", "error"])


def test_a_valid_row_has_no_error(policy: sp.Policy) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PolicyReviewWarning)
        out = policy.decide_frame(pd.DataFrame([{"platform": "x", "text": "hi", "author": "@a",
                                                 "posted_at": WHEN}]))
    assert out["error"].isna().all()


def test_an_empty_required_cell_says_which_field_and_to_fill_it(policy: sp.Policy) -> None:
    message = _errors(policy, author=None)
    assert message.startswith("author: no value")
    assert "hint: every comment needs `author`" in message
    assert "Field required" not in message


def test_a_value_outside_the_choices_is_shown_with_the_choices(policy: sp.Policy) -> None:
    message = _errors(policy, platform="Threads")
    assert message.startswith("platform: unknown value `Threads`; hint: use one of `facebook`")
    assert "(`other` for any platform not listed)" in message
    close = _errors(policy, channel="replyy")
    assert "unknown value `replyy`, did you mean `reply`?" in close
    assert "`other`" not in close  # a channel has no catch-all


def test_a_day_first_date_is_shown_with_the_pandas_fix(policy: sp.Policy) -> None:
    message = _errors(policy, posted_at="13/02/2026 10:00")
    assert message.startswith("posted_at: `13/02/2026 10:00` is not a date and time; hint:")
    assert "dayfirst=True" in message and "tz_localize" in message


def test_a_time_without_offset_gets_the_pandas_fix_too(policy: sp.Policy) -> None:
    message = _errors(policy, posted_at="2026-02-02 10:00")
    assert "has no timezone" in message and 'tz_localize("Europe/London")' in message


def test_every_problem_of_a_row_is_listed(policy: sp.Policy) -> None:
    message = _errors(policy, labels="spamm", author_prior_removals="two")
    assert "labels: unknown comment label `spamm`, did you mean `spam`?" in message
    assert "author_prior_removals: `two` is not a whole number" in message


def test_an_export_id_column_is_pointed_at_the_index(policy: sp.Policy) -> None:
    frame = pd.DataFrame([{"comment_id": "C1", "platform": "x", "text": "hi", "author": "@a",
                           "posted_at": WHEN}])
    with pytest.raises(ValueError, match=r"unknown subject column `comment_id`") as caught:
        policy.decide_frame(frame)
    assert 'index_col="comment_id"' in str(caught.value)
    with pytest.raises(ValueError) as other:
        policy.decide_frame(frame.rename(columns={"comment_id": "lables"}))
    assert "index_col" not in str(other.value)  # only identifier-like names get that hint


def test_a_batch_with_many_bad_rows_says_which_fields_to_fix_first(policy: sp.Policy) -> None:
    good = {"platform": "x", "text": "hi", "author": "@a", "posted_at": WHEN}
    rows = ([{**good, "author": None}] * 3 + [{**good, "platform": "Threads", "author": None}]
            + [{**good, "posted_at": "13/02/2026 10:00"}] + [good] * 2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = policy.decide_frame(pd.DataFrame(rows))
    message = str(next(w.message for w in caught if issubclass(w.category, RowErrorWarning)))
    assert "5 of 7 rows" in message and "... and 2 more" in message
    assert message.endswith("rows by field: author 4, platform 1, posted_at 1")
    assert out["error"].notna().sum() == 5
