"""Regressions from the fuzzing pass: one test per cause found, each failing before its fix.

- a JSON row nested deeper than the parser's recursion limit was an internal error (exit 70
  with a traceback) instead of an error row;
- a lone surrogate (a JSON `"\\ud800"` escape) was accepted in a subject's text, then broke
  the record digest and the command line's output (`--records` stopped the whole run);
- `model_construct` and `model_copy(update=...)` built subjects no one validated: an unknown
  label then matched no rule and the decision failed open, and a wrong type crashed mid-decision;
- the staff-post capacity facts read whole megabyte fields the detectors cap at 100,000
  characters;
- a required policy key written as `null` read as "not given": a rule with `reason: null`
  vanished from a policy that linted clean (deciding spam `leave`), `not_covered: null` was an
  `AssertionError`, and `working_hours` without `timezone` reached the checker's last guard.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

import socialpolicy as sp
from socialpolicy.signals import MAX_TEXT_CHARS, derive

from .conftest import MINI_PATH, comment, comment_row, run_cli, staff_post

MINI = Path(MINI_PATH).read_text()

# ---- the command line ------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [5000, 100_000])
def test_a_row_nested_too_deep_is_an_error_row(tmp_path: Path, depth: int,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.jsonl"
    deep = '{"a": ' * depth + "1" + "}" * depth
    path.write_text(json.dumps(comment_row()) + "\n" + deep + "\n"
                    + json.dumps(comment_row(labels=["spam"])) + "\n")
    code, out, err = run_cli(["decide", "--policy", MINI_PATH, str(path)], capsys)
    assert code == 4 and "Traceback" not in err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["outcome"] for r in rows] == ["leave", "error", "hide"]
    if _parses(deep):  # this Python's parser reaches that deep: the row is validated as usual
        assert rows[1]["error_detail"][0]["type"] == "union_tag_not_found"
    else:
        assert rows[1]["error_detail"][0]["type"] == "json_invalid"
        assert "nested too deeply" in rows[1]["error"]


def _parses(text: str) -> bool:
    """Whether this Python's JSON parser reads `text` (how deep it reaches differs between
    versions: 3.13 reads 5,000 levels that 3.11 refuses)."""
    try:
        json.loads(text)
    except RecursionError:
        return False
    return True


def test_a_row_nested_deep_but_parseable_is_validated_as_usual(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.jsonl"
    row = json.dumps(comment_row(labels=[]))
    path.write_text(row.replace("[]", "[" * 500 + "]" * 500) + "\n" + row + "\n")
    code, out, _ = run_cli(["decide", "--policy", MINI_PATH, str(path)], capsys)
    assert code == 4
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["outcome"] for r in rows] == ["error", "leave"]
    assert rows[0]["error_detail"][0]["loc"][:2] == ["comment", "labels"]


def test_a_lone_surrogate_is_an_error_row_and_the_run_goes_on(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"kind": "comment", "platform": "facebook", "text": "hi \\ud800",'
                    ' "author": "@a", "posted_at": "2026-03-04T10:00:00Z"}\n'
                    + json.dumps(comment_row(labels=["spam"])) + "\n")
    records = tmp_path / "records.jsonl"
    code, out, err = run_cli(["decide", "--policy", MINI_PATH, str(path), "--records",
                              str(records)], capsys)
    assert code == 4, err
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["outcome"] == "error"
    assert first["error_detail"][0]["type"] == "lone_surrogate"
    assert first["error_detail"][0]["loc"] == ["comment", "text"]
    assert second["outcome"] == "hide"
    assert len(records.read_text().splitlines()) == 1  # the decided row's record


@pytest.mark.parametrize("fmt", ["jsonl", "json", "text"])
def test_an_error_row_that_echoes_a_lone_surrogate_is_written_escaped(
        tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.jsonl"  # an error row keeps the caller's id to match it by
    path.write_text(json.dumps(comment_row(id="row-\ud800")) + "\n"
                    + json.dumps(comment_row()) + "\n")
    code, out, err = run_cli(["decide", "--policy", MINI_PATH, str(path), "--format", fmt],
                             capsys)
    assert code == 4, err
    if fmt != "text":  # (the text form does not show ids)
        assert "row-\\ud800" in out
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.splitlines()]
        assert rows[0]["subject_id"] == "row-\ud800"  # the escape reads back as the same id
        assert rows[0]["error_detail"][0]["type"] == "lone_surrogate"
        assert rows[1]["outcome"] == "leave"


def test_messages_that_quote_a_lone_surrogate_escape_it() -> None:
    with pytest.raises(ValidationError) as caught:
        comment(labels={"spam\ud800"})
    assert caught.value.errors()[0]["msg"].startswith("unknown comment label `spam\\ud800`")
    with pytest.raises(ValidationError, match=r"`\\ud800` is text, not a boolean"):
        staff_post(about_employer="\ud800")


def test_explain_reports_a_lone_surrogate_in_place(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(comment_row(author="\ud800")) + "\n"
                    + json.dumps(comment_row()) + "\n")
    code, out, _ = run_cli(["explain", "--policy", MINI_PATH, str(path),
                            "--engine", "reference"], capsys)
    assert code == 4
    assert "== row 0: not decided" in out and "error[lone_surrogate]: comment.author" in out
    assert "== row 1\n" in out


# ---- subjects --------------------------------------------------------------------------------

@pytest.mark.parametrize(("build", "loc"), [
    (lambda s: comment(text=s), ("text",)),
    (lambda s: comment(author=s), ("author",)),
    (lambda s: comment(id=s), ("id",)),
    (lambda s: staff_post(text=s), ("text",)),
    (lambda s: staff_post(account={"handle": s}), ("account", "handle")),
    (lambda s: staff_post(account={"handle": "@a", "display_name": s}),
     ("account", "display_name")),
    (lambda s: staff_post(account={"handle": "@a", "bio": s}), ("account", "bio")),
    (lambda s: sp.AccountRequest(platform="x", purpose="blog", proposed_handle=s),
     ("proposed_handle",)),
    (lambda s: sp.AccountRequest(platform="x", purpose="blog", stakeholder_group=s),
     ("stakeholder_group",)),
    (lambda s: sp.AccountRequest(platform="x", purpose="blog", operational_need=s),
     ("operational_need",)),
])
def test_a_lone_surrogate_is_rejected_naming_the_field(build: object, loc: tuple[str, ...]
                                                       ) -> None:
    with pytest.raises(ValidationError) as caught:
        build("ok \udc80 then")  # type: ignore[operator]
    (error,) = caught.value.errors()
    assert error["loc"] == loc and error["type"] == "lone_surrogate"
    assert "character 4 is `\\udc80`" in error["msg"]


def test_whole_characters_outside_ascii_are_still_text() -> None:
    text = "Zoë 😀 \u202e\u200b \uff46\uff55\uff43\uff4b \U0001d518"  # RTL, fullwidth, astral
    assert comment(text=text, author=text).text == text


def test_model_construct_validates_like_the_constructor() -> None:
    fields = {"platform": "facebook", "text": "", "author": "@a",
              "posted_at": "2026-03-04T10:00:00Z"}
    built = sp.Comment.model_construct(**fields, labels=["spam"])
    assert built.labels == frozenset({"spam"})  # validated: the list became the label set
    assert built.model_dump() == sp.Comment(**fields, labels={"spam"}).model_dump()
    with pytest.raises(ValidationError, match="did you mean `targeted_abuse`"):
        sp.Comment.model_construct(**fields, labels=["targted_abuse"])
    with pytest.raises(ValidationError, match="has no timezone"):
        sp.Comment.model_construct(**(fields | {"posted_at": "2026-03-04T10:00:00"}))
    with pytest.raises(ValidationError) as caught:
        sp.StaffPost.model_construct(platform="x", text="", posted_at="2026-03-04T10:00:00Z")
    assert caught.value.errors()[0]["loc"] == ("account",)


def test_model_copy_with_changes_validates_them() -> None:
    subject = comment()
    assert subject.model_copy(update={"labels": {"spam"}}).labels == {"spam"}
    assert subject.model_copy() == subject and subject.model_copy(deep=True) == subject
    with pytest.raises(ValidationError, match="unknown comment label `targted_abuse`"):
        subject.model_copy(update={"labels": {"targted_abuse"}})
    with pytest.raises(ValidationError) as caught:
        subject.model_copy(update={"author_prior_removals": "5x"})
    assert caught.value.errors()[0]["loc"] == ("author_prior_removals",)
    with pytest.raises(ValidationError, match="Extra inputs"):
        subject.model_copy(update={"colour": "red"})


def test_capacity_facts_read_only_what_the_detectors_read() -> None:
    document = sp.load_policy("mse_icb", engine="reference").document
    pad = "x " * (MAX_TEXT_CHARS // 2)
    for bio, expected in [("jo@nhs.net", True), (pad + "jo@nhs.net", False)]:
        facts, _ = derive(staff_post(account={"handle": "@jo", "bio": bio}), document)
        assert facts["fact.bio_has_work_contact"] is expected
        assert facts["fact.bio_has_contact"] is expected
    long_bio = staff_post(account={"handle": "@jo", "bio": pad + "jo@nhs.net"})
    assert any("`account.bio` is" in w and "first 100,000" in w
               for w in sp.decide(long_bio, policy="mse_icb", engine="reference").warnings)


# ---- policy files ----------------------------------------------------------------------------

def lint_text(tmp_path: Path, text: str) -> list[sp.Diagnostic]:
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    return sp.lint([path])


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("    reason: spam is hidden\n", "    reason: null\n",
     ("missing-field", 56, 13, "`reason` in a rule has no value")),
    ("  - id: spam-hide\n", "  - id:\n", ("missing-field", 51, 8, "`id` in a rule has no value")),
    ("organisation: Example Borough Council", "organisation: ~",
     ("missing-field", 3, 15, "`organisation` in the policy has no value")),
    ("id: mini_council", "id: null", ("missing-field", 2, 5, "`id` in the policy has no value")),
    ('{id: "4.3", title: Everything else,', '{id: "4.3", title: null,',
     ("missing-field", 32, 24, "`title` in a clause has no value")),
    ("not_covered: the policy says nothing about opening accounts", "not_covered: null",
     ("missing-field", 27, 18, "`not_covered` has no value")),
    ("  timezone: Europe/London\n", "", ("missing-field", 12, 3,
                                         "`working_hours` is missing `timezone`")),
])
def test_a_required_key_without_a_value_is_one_diagnostic(
        tmp_path: Path, old: str, new: str, expected: tuple[str, int, int, str]) -> None:
    assert old in MINI
    found = lint_text(tmp_path, MINI.replace(old, new, 1))
    assert [(d.code, d.line, d.column, d.message) for d in found] == [expected]
    assert found[0].hint
    with pytest.raises(sp.PolicyError):
        sp.load_policy(tmp_path / "policy.yaml", engine="reference")


def test_optional_keys_may_still_be_null(tmp_path: Path) -> None:
    text = MINI.replace('review: "2027-01-01"', "review: null")
    assert lint_text(tmp_path, text) == []
    assert sp.load_policy(tmp_path / "policy.yaml", engine="reference").review is None
