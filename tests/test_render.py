"""Notebook views: decisions, explanations, comparisons and coverage as HTML."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import socialpolicy as sp
from socialpolicy.decision import Citation
from socialpolicy.render import outcome_colour, split_roles

ROOT = Path(__file__).parent.parent
ABUSE = sp.Comment(platform="x", author="@angry",
                   text="Nurse Jane at Basildon should be strung up, ring 07700 900123",
                   posted_at="2026-04-02T10:00:00+01:00",
                   labels={"targeted_abuse", "names_staff"})


@pytest.fixture(scope="module")
def policy() -> sp.Policy:
    return sp.load_policy("mse_icb", engine="reference")


def test_a_decision_shows_outcome_actions_and_quoted_clauses(policy: sp.Policy) -> None:
    decision = policy.decide(ABUSE)
    html = decision._repr_html_()
    assert f">{decision.outcome}</span>" in html
    for action in decision.actions:
        assert f"<code>{action.kind}</code>" in html
    for citation in decision.citations:
        assert f"<code>{citation.clause_id}</code>" in html
    assert "07700 900123" in html  # the evidence span is shown
    assert decision.respond_by is not None and decision.respond_by.isoformat() in html


def test_procedural_clauses_are_folded_after_the_substantive_ones(policy: sp.Policy) -> None:
    decision = policy.decide(ABUSE)
    first, *rest = decision.citations
    # One procedural clause and the rest substantive, whatever roles the policy gives them.
    rest = [replace(c, role="substantive") for c in rest]
    marked = replace(decision, citations=[replace(first, role="procedural"), *rest])
    html = marked._repr_html_()
    details = html.index("<details><summary>1 procedural clause")
    assert html.index(f"<code>{first.clause_id}</code>") > details
    assert all(html.index(f"<code>{c.clause_id}</code>") < details for c in rest)
    substantive, procedural = split_roles(marked.citations)
    assert [c.clause_id for c in procedural] == [first.clause_id]
    assert len(substantive) == len(rest)


def test_text_is_escaped() -> None:
    citation = Citation("p", "1.1", "Title <b>", "quote <script>alert(1)</script>")
    decision = sp.Decision(outcome=sp.Outcome.HIDE, policy_id="p", policy_version="1",
                           kind="comment", reason="a <i>reason</i>", citations=[citation])
    html = decision._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "a &lt;i&gt;reason&lt;/i&gt;" in html


def test_outcome_colours_follow_severity() -> None:
    assert outcome_colour("leave") == outcome_colour("compliant") == outcome_colour("approve")
    assert outcome_colour("delete") == outcome_colour("breach") != outcome_colour("leave")
    assert outcome_colour("hide") not in (outcome_colour("leave"), outcome_colour("delete"))


def test_an_explanation_lists_fired_rules_first_and_folds_the_rest(policy: sp.Policy) -> None:
    explanation = policy.explain(ABUSE)
    html = explanation._repr_html_()
    fired = [t.rule.id for t in explanation.rules if t.fired]
    others = [t.rule.id for t in explanation.rules if not t.fired]
    assert fired and others
    folded = html.index(f"{len(others)} rules did not fire")
    for rule_id in fired:
        assert html.index(f"<b>{rule_id}</b>") < folded
    for rule_id in others:
        assert html.index(f"<b>{rule_id}</b>") > folded
    assert html.count("✔") >= len(fired)


def test_a_comparison_shows_no_install_paths() -> None:
    comparison = sp.compare_policies()
    for text in (repr(comparison), comparison._repr_html_(), str(comparison.columns)):
        assert str(ROOT) not in text and "position" not in text
    html = comparison._repr_html_()
    for pid in comparison.policy_ids:
        assert f">{pid}</span>" in html
    assert "no clause" in html


@pytest.mark.needs_extras  # pandas
def test_coverage_renders_and_becomes_a_dataframe() -> None:
    report = sp.check_coverage(["mhra", "hra"])
    html = report._repr_html_()
    assert html.count("<tr>") == 3 and ">ok</span>" in html
    assert report[0]._repr_html_().count("<tr>") == 2
    frame = report.to_dataframe()
    assert list(frame.index) == ["mhra", "hra"]
    for item in report:
        row = frame.loc[item.policy]
        assert row["clauses_encoded"] == item.clauses["encoded"]
        assert row["rules_comment"] == item.rules["comment"]
        assert row["examples_fires"] == item.examples["fires"]
        assert row["problems"] == len(item.problems) and bool(row["ok"]) == item.ok
