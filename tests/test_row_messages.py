"""One wording for a bad row everywhere: `decide_many`'s error rows, the command line's error
rows and `decide_frame`'s `error` column name the field (its dotted path) and the value, and end
with a hint, in the same words; never pydantic's own ("Field required", "Input should be")."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import socialpolicy as sp
from socialpolicy._messages import problems, row_message

from .conftest import MINI_PATH
from .conftest import run_cli as run

WHEN = "2026-02-02T10:00:00+00:00"
COMMENT = {"kind": "comment", "platform": "x", "text": "hi", "author": "@a", "posted_at": WHEN}
POST = {"kind": "staff_post", "platform": "x", "text": "hi", "posted_at": WHEN,
        "account": {"handle": "@a"}}
PYDANTIC_WORDING = ("Field required", "Input should be", "validation error", "[type=",
                    "errors.pydantic.dev")


@pytest.fixture(scope="module")
def policy() -> sp.Policy:
    return sp.load_policy("mse_icb", engine="reference")


def _error_row(policy: sp.Policy, row: Any, before: int = 2) -> sp.Decision:
    """The decision for `row` as the `before`-th row of a batch of good ones."""
    decisions = policy.decide_many([COMMENT] * before + [row], detectors=())
    decision = decisions[before]
    assert decision.outcome == "error" and decision.row == before
    assert decision.reason == f"row {before} is not a valid subject"
    return decision


def _plain(text: str) -> None:
    for words in PYDANTIC_WORDING:
        assert words not in text, text


# ---- decide_many ----------------------------------------------------------------------------

def test_a_missing_field_is_named_with_what_to_do(policy: sp.Policy) -> None:
    decision = _error_row(policy, {k: v for k, v in COMMENT.items() if k != "author"})
    assert decision.error == "author: no value; hint: every comment needs `author`"
    [detail] = decision.error_detail
    assert detail.type == "missing" and detail.loc == ("comment", "author")
    assert detail.message == "no value; hint: every comment needs `author`"


def test_a_nested_field_is_named_by_its_dotted_path(policy: sp.Policy) -> None:
    decision = _error_row(policy, {**POST, "account": {"handle": "@a", "bio": 5}})
    assert decision.error == "account.bio: `5` is not text; hint: write it as a string, in quotes"
    assert decision.error_detail[0].loc == ("staff_post", "account", "bio")
    missing = _error_row(policy, {**POST, "account": {"bio": "hello"}})
    assert missing.error == "account.handle: no value; hint: every staff post needs " \
        "`account.handle`"


def test_every_problem_of_a_row_is_listed_in_order(policy: sp.Policy) -> None:
    decision = _error_row(policy, {**COMMENT, "platform": "Threads", "channel": "replyy",
                                   "posted_at": "13/02/2026 10:00",
                                   "author_prior_removals": "two", "labels": ["spamm"]})
    text = decision.error or ""
    fields = [detail.loc[-1] for detail in decision.error_detail]
    assert fields == ["platform", "channel", "posted_at", "labels", "author_prior_removals"]
    assert "platform: unknown value `Threads`; hint: use one of `facebook`" in text
    assert "(`other` for any platform not listed)" in text
    assert "channel: unknown value `replyy`, did you mean `reply`?" in text
    assert ("posted_at: `13/02/2026 10:00` is not a date and time; hint: write it as ISO "
            "8601") in text
    assert "labels: unknown comment label `spamm`, did you mean `spam`?" in text
    assert "author_prior_removals: `two` is not a whole number" in text
    assert "pd.to_datetime" not in text  # the pandas fix is for a DataFrame's column only
    _plain(text)
    for detail in decision.error_detail:
        _plain(detail.message)


def test_an_unknown_field_gets_did_you_mean_and_a_missing_kind_says_which(
        policy: sp.Policy) -> None:
    typo = _error_row(policy, {**COMMENT, "txt": "hi"})
    assert typo.error == "txt: not a field of a comment, did you mean `text`?; hint: remove it"
    nested = _error_row(policy, {**POST, "account": {"handle": "@a", "colour": "red"}})
    assert (nested.error or "").startswith("account.colour: not a field of `account`; hint: "
                                           "remove it, or use one of `handle`")
    no_kind = _error_row(policy, {k: v for k, v in COMMENT.items() if k != "kind"})
    assert (no_kind.error or "").startswith("kind: no value; hint:")
    assert "`comment`, `staff_post`, `account_request`" in (no_kind.error or "")
    wrong_kind = _error_row(policy, {**COMMENT, "kind": "coment"})
    assert (wrong_kind.error or "").startswith(
        "kind: unknown value `coment`, did you mean `comment`?")


def test_a_lone_surrogate_in_a_shown_value_is_escaped(policy: sp.Policy) -> None:
    decision = _error_row(policy, {**COMMENT, "channel": "re\ud800ply"})
    assert "`re\\ud800ply`" in (decision.error or "")
    (decision.error or "").encode("utf-8")  # writable as it is


def test_a_subject_built_directly_names_its_kind() -> None:
    with pytest.raises(ValidationError) as caught:
        sp.AccountRequest(platform="x")  # type: ignore[call-arg]
    assert row_message(caught.value) == (
        "purpose: no value; hint: every account request needs `purpose`")
    [problem] = problems(caught.value)
    assert problem.field == "purpose" and problem.loc == ("purpose",)


# ---- the same words on the command line and in a DataFrame ----------------------------------

def test_the_command_line_shows_the_same_words(policy: sp.Policy, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    bad = {**POST, "account": {"handle": "@a", "bio": 5}}
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(COMMENT) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    code, out, _ = run(["decide", "--policy", MINI_PATH, str(path)], capsys)
    second = json.loads(out.splitlines()[1])
    assert code == 4 and second["row"] == 1 and second["line"] == 2
    assert second["error"] == _error_row(policy, bad).error
    assert second["error_detail"] == [{"type": "string_type",
                                       "loc": ["staff_post", "account", "bio"],
                                       "message": "`5` is not text; hint: write it as a string, "
                                                  "in quotes"}]
    code, out, _ = run(["decide", "--policy", MINI_PATH, str(path), "--format", "text"], capsys)
    assert ("error[string_type]: staff_post.account.bio: `5` is not text; hint: write it as a "
            "string, in quotes") in out
    _plain(out)


@pytest.mark.needs_extras
def test_a_dataframe_shows_the_same_words_plus_its_own_hints(policy: sp.Policy) -> None:
    import warnings

    import pandas as pd

    row = {k: v for k, v in COMMENT.items() if k not in ("kind", "author")}
    row["platform"] = "Threads"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cell = str(policy.decide_frame(pd.DataFrame([row])).loc[0, "error"])
    many = _error_row(policy, {**row, "kind": "comment"}).error or ""
    platform = many.split("; author:")[0]
    assert platform.startswith("platform: unknown value `Threads`")
    assert cell.startswith(platform + "; author: no value (the cell is empty or the column is "
                           "missing); hint: every comment needs `author`: fill the blanks")


def test_the_message_builder_does_not_import_pandas() -> None:
    code = ("import sys, socialpolicy._batch, socialpolicy._messages, socialpolicy.cli; "
            "assert 'pandas' not in sys.modules, 'pandas imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
