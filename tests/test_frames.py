"""DataFrames in and out: decide_frame, to_frame, compare_decisions and CSV-shaped input."""

from __future__ import annotations

import io
import subprocess
import sys
import warnings
from typing import Any

import pandas as pd
import pytest

import socialpolicy as sp
from socialpolicy.frames import (
    COLUMNS,
    PolicyReviewWarning,
    RowErrorWarning,
    RowValueError,
    empty_result,
    outcome_dtype,
    subject_from_row,
)
from socialpolicy.frames._coerce import coerce_row, labels

WHEN = "2026-04-02T10:00:00+01:00"
CSV = f"""kind,platform,text,author,posted_at,labels,account.handle,account.kind,about_employer
,Facebook,You idiot nurse Jane,@a,{WHEN},"targeted_abuse, names_staff",,,
comment,Twitter,hello,@b,{WHEN},,,,
Comment,INSTAGRAM,call me on 07700 900123,@c,2026-04-04 10:00:00+01:00,Spam; profanity,,,
staff_post,X,Great day at work,,{WHEN},political,@jo,Personal,True
comment,Linked In,,@d,{WHEN},['misinformation'],,,
"""


@pytest.fixture(scope="module")
def policy() -> sp.Policy:
    return sp.load_policy("mse_icb")


def _csv() -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(CSV))
    frame.index = pd.Index([f"r{i}" for i in range(len(frame))], name="row_id")
    return frame


def _typed() -> list[Any]:
    """The same rows as CSV, written as a careful caller would."""
    return [
        sp.Comment(platform="facebook", text="You idiot nurse Jane", author="@a", posted_at=WHEN,
                   labels={"targeted_abuse", "names_staff"}),
        sp.Comment(platform="x", text="hello", author="@b", posted_at=WHEN),
        sp.Comment(platform="instagram", text="call me on 07700 900123", author="@c",
                   posted_at="2026-04-04T10:00:00+01:00", labels={"spam", "profanity"}),
        sp.StaffPost(platform="x", text="Great day at work", posted_at=WHEN,
                     account=sp.Account(handle="@jo", kind="personal"), about_employer=True,
                     labels={"political"}),
        sp.Comment(platform="linkedin", text="", author="@d", posted_at=WHEN,
                   labels={"misinformation"}),
    ]


def _quiet(policy: sp.Policy, frame: Any, **options: Any) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PolicyReviewWarning)
        return policy.decide_frame(frame, **options)


def test_a_messy_csv_is_decided_on_its_own_index_as_typed_rows_would_be(
        policy: sp.Policy) -> None:
    frame = _csv()
    with warnings.catch_warnings():
        warnings.simplefilter("error", RowErrorWarning)  # no row may fail silently or at all
        out = _quiet(policy, frame)
    assert out.index.equals(frame.index)
    assert list(out.columns) == list(COLUMNS)
    assert out["error"].isna().all()
    for label, subject in zip(frame.index, _typed(), strict=True):
        expected = policy.decide(subject)
        row = out.loc[label]
        assert row["outcome"] == expected.outcome, label
        assert row["cites"] == [c.clause_id for c in expected.citations]
        assert row["rules"] == [f.rule_id for f in expected.findings]
        assert row["kind"] == expected.kind
        assert bool(row["adverse"]) == expected.adverse
        assert row["detected"] == expected.detected
        if expected.respond_by is None:
            assert pd.isna(row["respond_by"])
        else:
            assert row["respond_by"] == pd.Timestamp(expected.respond_by)
    # something in the batch is adverse and something is not: the check above is not vacuous
    assert out["adverse"].any() and not out["adverse"].all()


def test_columns_are_typed_and_an_empty_frame_has_the_same_schema(policy: sp.Policy) -> None:
    out = _quiet(policy, _csv())
    assert isinstance(out["outcome"].dtype, pd.CategoricalDtype)
    assert out["outcome"].cat.ordered
    assert str(out["respond_by"].dtype) == "datetime64[ns, UTC]"
    empty = empty_result()
    assert list(empty.columns) == list(COLUMNS) and len(empty) == 0
    assert empty.dtypes.equals(out.dtypes)  # mixed kinds: every scale, like the empty frame
    assert _quiet(policy, _csv().iloc[:0]).dtypes.equals(empty.dtypes)


def test_one_kind_orders_outcomes_on_its_scale(policy: sp.Policy) -> None:
    out = _quiet(policy, _csv().iloc[:3])
    assert list(out["outcome"].cat.categories) == ["leave", "hide", "delete", "not_covered",
                                                   "error"]
    assert out["outcome"].dtype == outcome_dtype("comment")
    assert out.sort_values("outcome")["outcome"].iloc[-1] == out["outcome"].max()
    assert list(empty_result("staff_post")["outcome"].cat.categories)[:3] == [
        "compliant", "advisory", "breach"]


@pytest.mark.parametrize("cell", [
    "spam, profanity", "spam;profanity", " Spam ; PROFANITY ", ["spam", "profanity"],
    {"spam", "profanity"}, "['spam', 'profanity']", "spam|profanity"])
def test_labels_are_read_however_they_arrive(cell: Any) -> None:
    assert sorted(labels(cell)) == ["profanity", "spam"]


@pytest.mark.parametrize("cell", [float("nan"), None, "", pd.NA, "  "])
def test_an_empty_label_cell_is_no_labels(cell: Any) -> None:
    assert labels(cell) == []


def test_enum_case_and_aliases_fold_but_unknown_values_stay_to_be_reported() -> None:
    row = coerce_row({"platform": "Twitter", "channel": "Direct Message", "text": float("nan"),
                      "author": "@a", "posted_at": WHEN, "author_prior_removals": 2.0})
    assert row["platform"] == "x" and row["channel"] == "direct_message"
    assert row["text"] == "" and row["author_prior_removals"] == 2
    assert coerce_row({"platform": "Myspace"})["platform"] == "Myspace"
    staff = coerce_row({"platform": "x", "account.handle": "@jo", "account.kind": "Departmental",
                        "about_employer": "yes", "author.is_communications_team": "FALSE"})
    assert staff["kind"] == "staff_post"
    assert staff["account"] == {"handle": "@jo", "kind": "departmental"}
    assert staff["about_employer"] is True
    assert staff["author"] == {"is_communications_team": False}


def test_a_zero_one_column_reads_as_booleans(policy: sp.Policy) -> None:
    # pandas reads a column of 0 and 1 as integers; subjects take only true booleans.
    frame = pd.read_csv(io.StringIO(
        f"kind,platform,text,posted_at,account.handle,about_employer,account.public\n"
        f"staff_post,x,hi,{WHEN},@jo,1,0\nstaff_post,x,hi,{WHEN},@jo,0,1\n"))
    assert frame["about_employer"].dtype.kind == "i"
    rows = [coerce_row(row) for row in frame.to_dict("records")]
    assert [(r["about_employer"], r["account"]["public"]) for r in rows] == [(True, False),
                                                                            (False, True)]
    assert {type(r["about_employer"]) for r in rows} == {bool}
    out = _quiet(policy, frame)
    assert "error" not in set(out["outcome"])


def test_an_id_column_is_passed_through_as_the_subject_id(policy: sp.Policy) -> None:
    frame = _csv().assign(id=[101, 102, 103, 104, 105])
    out = _quiet(policy, frame)
    assert list(out["subject_id"]) == ["101", "102", "103", "104", "105"]
    assert _quiet(policy, _csv())["subject_id"].isna().all()


def test_one_row_becomes_the_typed_subject_a_careful_caller_would_write() -> None:
    frame = _csv()
    for (label, row), typed in zip(frame.iterrows(), _typed(), strict=True):
        assert subject_from_row(row) == typed, label
    assert subject_from_row({"platform": "Twitter", "text": "hi", "author": "@a",
                             "posted_at": WHEN, "case_ref": 7}).platform == "x"


def test_a_bad_row_is_reported_once_with_counts_and_its_field(policy: sp.Policy) -> None:
    frame = pd.concat([_csv()] * 3)
    frame.index = pd.RangeIndex(100, 100 + len(frame))
    frame.loc[101, "platform"] = "myspace"
    frame.loc[107, "labels"] = "targted_abuse"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = policy.decide_frame(frame)
    rows = [w for w in caught if issubclass(w.category, RowErrorWarning)]
    assert len(rows) == 1
    message = str(rows[0].message)
    assert f"2 of {len(frame)} rows" in message
    assert "row 101: platform" in message and "`myspace`" in message
    assert "did you mean `targeted_abuse`" in message
    assert rows[0].filename == __file__  # points at the caller's line, not the library's
    assert out.loc[101, "outcome"] == "error" and pd.isna(out.loc[101, "adverse"])
    assert out["error"].notna().sum() == 2
    assert (out["outcome"] == "error").sum() == 2  # nothing dropped, nothing silently lenient


def test_errors_raise_names_the_first_bad_row(policy: sp.Policy) -> None:
    frame = _csv()
    frame.loc["r2", "platform"] = "myspace"
    with pytest.raises(RowValueError, match=r"row 'r2' .*platform"):
        _quiet(policy, frame, errors="raise")
    with pytest.raises(ValueError, match="coerce"):
        _quiet(policy, frame, errors="ignore")


def test_unknown_columns_are_named_unless_ignored(policy: sp.Policy) -> None:
    frame = _csv().assign(lables="spam", case_ref=1)
    with pytest.raises(ValueError, match=r"`lables` \(did you mean `labels`\?\).*`case_ref`"):
        _quiet(policy, frame)
    out = _quiet(policy, frame, extra="ignore")
    assert out["error"].isna().all()


def test_a_passed_review_date_is_said_once_per_batch_not_per_row(policy: sp.Policy) -> None:
    frame = pd.concat([_csv()] * 4, ignore_index=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = policy.decide_frame(frame, as_of=pd.Timestamp("2030-01-01").date())
    review = [w for w in caught if issubclass(w.category, PolicyReviewWarning)]
    assert len(review) == 1 and "review date" in str(review[0].message)
    assert out.attrs["policy_warnings"] == [str(review[0].message)]
    assert not any("review date" in w for ws in out["warnings"] for w in ws)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        policy.decide_frame(frame, as_of=pd.Timestamp("2020-01-01").date())
    assert not [w for w in caught if issubclass(w.category, PolicyReviewWarning)]


def test_to_frame_matches_decide_frame(policy: sp.Policy) -> None:
    decisions = policy.decide_many(_typed())
    out = sp.to_frame(decisions, index=_csv().index)
    direct = _quiet(policy, _csv())
    pd.testing.assert_frame_equal(out, direct)
    with pytest.raises(ValueError, match="one label per decision"):
        sp.to_frame(decisions, index=[1, 2])


def test_compare_decisions_puts_policies_side_by_side() -> None:
    rows = _typed()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PolicyReviewWarning)
        out = sp.compare_decisions(_csv(), policies=["mse_icb", "mhra"])
    assert list(out.columns) == ["mse_icb", "mhra", "disagree"]
    assert out.index.equals(_csv().index)
    mse, mhra = sp.load_policy("mse_icb"), sp.load_policy("mhra")
    for label, subject in zip(out.index, rows, strict=True):
        a, b = mse.decide(subject).outcome, mhra.decide(subject).outcome
        assert out.loc[label, "mse_icb"] == a and out.loc[label, "mhra"] == b
        assert bool(out.loc[label, "disagree"]) == (a != b)
    assert out["disagree"].any() and not out["disagree"].all()
    with pytest.raises(ValueError, match="repeat"):
        sp.compare_decisions(rows, policies=["mhra", "mhra"])


def test_progress_is_off_off_a_terminal_and_on_when_asked(
        policy: sp.Policy, capsys: pytest.CaptureFixture[str]) -> None:
    frame = pd.concat([_csv().iloc[:3]] * 2, ignore_index=True)
    _quiet(policy, frame)
    policy.decide_many(_typed())
    assert capsys.readouterr().err == ""
    _quiet(policy, frame, progress=True)
    err = capsys.readouterr().err
    assert "deciding (mse_icb)" in err and "6/6" in err
    policy.decide_many(_typed(), progress=True)
    assert "5/5" in capsys.readouterr().err


def test_import_socialpolicy_does_not_import_pandas() -> None:
    code = "import sys, socialpolicy; assert 'pandas' not in sys.modules, 'pandas imported'"
    subprocess.run([sys.executable, "-c", code], check=True)
