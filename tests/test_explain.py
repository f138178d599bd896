"""Explanations: every rule of the subject's kind, fired or not, with the conditions that held."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import socialpolicy as sp
from socialpolicy.cli import main

from .conftest import FIXTURES, comment, staff_post


def test_explanation_says_why_and_why_not(mini: sp.Policy) -> None:
    explanation = mini.explain(comment(labels={"spam"}, author_prior_removals=1))
    assert explanation.decision.outcome == "hide"
    assert explanation.fired == ["spam-hide", "reply-in-two-days"]
    ban = next(t for t in explanation.rules if t.rule.id == "repeat-offender-ban")
    assert not ban.fired
    assert [(p.text, p.held) for p in ban.condition.parts] == [
        ("label `spam`", True), ("author_prior_removals >= 2 (is 1)", False)]
    text = str(explanation)
    assert "rule repeat-offender-ban -> hide [4.6, 4.2]: did not fire" in text
    assert "[no ] author_prior_removals >= 2 (is 1)" in text
    html = explanation._repr_html_()  # fired rules listed, the one that did not fire folded
    assert html.index("<b>spam-hide</b>") < html.index("did not fire</summary>") < html.index(
        "<b>repeat-offender-ban</b>")
    assert "author_prior_removals &gt;= 2 (is 1)" in html


def test_explanation_of_an_out_of_scope_subject(mini: sp.Policy) -> None:
    explanation = mini.explain(staff_post(author={"employment": "volunteer"}))
    assert explanation.decision.outcome == "not_covered"
    assert explanation.scope is not None and not explanation.scope.held
    assert "outside scope" in str(explanation)


def test_explanation_of_an_uncovered_kind(mini: sp.Policy) -> None:
    explanation = mini.explain(sp.AccountRequest(platform="x", purpose="blog"))
    assert explanation.rules == [] and "no rules" in str(explanation)


def test_explanation_must_agree_with_the_engine(mini: sp.Policy,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mini._engine, "fired", lambda facts: frozenset({"spam-hide"}))
    with pytest.raises(sp.EngineError, match="explanation disagrees"):
        mini.explain(comment(labels={"targeted_abuse"}))


def test_cli_explain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"kind": "comment", "platform": "x", "text": "", "author": "@a",
                                "posted_at": "2026-03-04T10:00:00Z", "labels": ["spam"]}))
    # an adverse outcome is ordinary data; failing on it is opt-in
    assert main(["explain", "--policy", str(FIXTURES / "mini.yaml"), str(path)]) == 0
    out = capsys.readouterr().out
    assert main(["explain", "--policy", str(FIXTURES / "mini.yaml"), str(path),
                 "--fail-on", "adverse"]) == 1
    assert capsys.readouterr().out == out
    assert out.startswith("== row 0\nhide (mini_council v2.0)")
    assert "rule abuse-delete -> delete [4.1]: did not fire" in out
