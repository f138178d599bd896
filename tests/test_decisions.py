"""Combining findings into a decision (DESIGN 4), on the fixture policy, under both engines."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

import socialpolicy as sp
from socialpolicy.vocab import Outcome

from .conftest import FIXTURES, comment, staff_post


def test_most_severe_outcome_wins_and_cites_every_rule(mini: sp.Policy) -> None:
    d = mini.decide(comment(labels={"spam", "targeted_abuse"}))
    assert d.outcome == "delete"
    assert [f.rule_id for f in d.findings] == ["abuse-delete", "spam-hide", "reply-in-two-days"]
    assert [c.clause_id for c in d.citations] == ["4.1", "4.2", "4.4"]
    assert d.citations[0].text == "Abusive comments are deleted where possible."
    assert d.reason == "abuse is deleted"


def test_platform_fallback_when_delete_is_unavailable(mini: sp.Policy) -> None:
    on_x = mini.decide(comment(platform="x", labels={"targeted_abuse"}))
    assert on_x.outcome == "hide"
    assert sp.Action("report_to_platform") in on_x.actions
    on_facebook = mini.decide(comment(platform="facebook", labels={"targeted_abuse"}))
    assert on_facebook.outcome == "delete"
    assert sp.Action("report_to_platform") not in on_facebook.actions


def test_caller_can_override_platform_capabilities(mini: sp.Policy) -> None:
    d = mini.decide(comment(platform="x", labels={"targeted_abuse"}),
                    platform_capabilities={"x": ["hide", "delete"]})
    assert d.outcome == "delete"


def test_outcome_the_platform_cannot_apply_is_kept_with_a_warning(mini: sp.Policy) -> None:
    d = mini.decide(comment(platform="instagram", labels={"spam"}))
    assert d.outcome == "hide"
    assert any("spam-hide" in w for w in d.warnings)


def test_default_applies_when_no_rule_fires(mini: sp.Policy) -> None:
    d = mini.decide(comment(channel="mention", labels={"criticism"}))
    assert d.outcome == "leave"
    assert d.findings == []
    assert [c.clause_id for c in d.citations] == ["4.3"]
    assert d.reason == "other comments are left up"


def test_respond_by_and_out_of_hours_escalation(mini: sp.Policy) -> None:
    in_hours = mini.decide(comment(posted_at=datetime.fromisoformat("2026-04-02T10:00+01:00")))
    assert in_hours.respond_by == datetime.fromisoformat("2026-04-08T10:00+01:00")
    assert in_hours.respond_by is not None and in_hours.respond_by.tzinfo is not None
    saturday = comment(labels={"reputational_risk"},
                       posted_at=datetime.fromisoformat("2026-03-07T11:00+00:00"))
    d = mini.decide(saturday)
    assert sp.Action("escalate", "duty_officer") in d.actions
    assert d.respond_by == datetime.fromisoformat("2026-03-11T09:00+00:00")
    weekday = mini.decide(comment(labels={"reputational_risk"}))
    assert sp.Action("escalate", "duty_officer") not in weekday.actions


def test_actions_are_deduplicated_with_all_their_citations(mini: sp.Policy) -> None:
    d = mini.decide(comment(labels={"spam"}, author_prior_removals=3))
    assert d.actions == [sp.Action("ban_author")]
    assert [c.clause_id for c in d.actions[0].citations] == ["4.2", "4.6"]


def test_kind_without_clauses_is_not_covered(mini: sp.Policy) -> None:
    d = mini.decide(sp.AccountRequest(platform="x", purpose="blog"))
    assert d.outcome == "not_covered"
    assert d.citations == [] and d.findings == []
    assert d.reason == "the policy says nothing about opening accounts"


def test_author_outside_scope_is_not_covered(mini: sp.Policy) -> None:
    d = mini.decide(staff_post(author={"employment": "volunteer"},
                               account={"handle": "@jo_EBC"}))
    assert d.outcome == "not_covered"
    assert d.reason == "the policy covers council employees and contractors only"
    assert d.citations == []


def test_derived_fact_carries_its_evidence(mini: sp.Policy) -> None:
    d = mini.decide(staff_post(account={"handle": "@jo_EBC"}))
    assert d.outcome == "breach"
    (finding,) = d.findings
    (evidence,) = finding.evidence
    assert (evidence.field, evidence.text, evidence.fact) == ("account.handle", "EBC",
                                                               "fact.handle_names_org")
    assert (evidence.start, evidence.end) == (4, 7)


def test_review_date_warning(mini: sp.Policy) -> None:
    assert mini.decide(comment(), as_of=date(2026, 12, 31)).warnings == []
    late = mini.decide(comment(), as_of=date(2027, 1, 2))
    assert late.warnings == ["the mini_council policy passed its review date (2027-01-01); "
                             "check it is still current"]


@pytest.mark.parametrize(("days_ago", "warned"), [(0, False), (1, True)])
def test_review_date_judged_on_todays_local_date(tmp_path: Path, engine: str, days_ago: int,
                                                 warned: bool) -> None:
    """Without `as_of`, a policy whose review date is today is current; one that was
    reviewable yesterday is not."""
    review = (date.today() - timedelta(days=days_ago)).isoformat()
    text = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
    path = tmp_path / "mini.yaml"
    path.write_text(text.replace('review: "2027-01-01"', f'review: "{review}"'), "utf-8")
    policy = sp.load_policy(path, engine=engine)  # type: ignore[arg-type]
    warnings = policy.decide(comment()).warnings
    assert warnings == ([f"the mini_council policy passed its review date ({review}); check it "
                         "is still current"] if warned else [])


def test_decide_many_keeps_every_row_in_order(mini: sp.Policy) -> None:
    rows = [comment(labels={"spam"}),
            {"kind": "comment", "platform": "x", "text": "", "author": "@a",
             "posted_at": "2026-03-04T10:00:00"},
            "not a subject",
            comment(labels={"targeted_abuse"})]
    decisions = mini.decide_many(rows)  # type: ignore[arg-type]
    assert [d.row for d in decisions] == [0, 1, 2, 3]
    assert [d.outcome for d in decisions] == ["hide", "error", "error", "delete"]
    assert decisions[1].error is not None and "posted_at" in decisions[1].error
    assert decisions[1].kind == "comment"
    assert "cannot decide a `str`" in (decisions[2].error or "")


def test_decide_rejects_a_non_subject(mini: sp.Policy) -> None:
    with pytest.raises(sp.SubjectKindError):
        mini.decide(42)  # type: ignore[arg-type]


def test_outcome_is_a_string_enum(mini: sp.Policy) -> None:
    d = mini.decide(comment(labels={"spam"}))
    assert d.outcome == "hide" and d.outcome is Outcome.HIDE and isinstance(d.outcome, str)


def test_decision_serialises_to_json(mini: sp.Policy) -> None:
    data = mini.decide(comment(labels={"spam"})).to_dict()
    assert data["outcome"] == "hide"
    assert data["citations"][0]["clause_id"] == "4.2"
    assert data["respond_by"] == "2026-03-06T10:00:00+00:00"


def test_concurrent_decisions_match_sequential(mini: sp.Policy) -> None:
    label_sets = [set(), {"spam"}, {"targeted_abuse"}, {"spam", "reputational_risk"},
                  {"hate_speech"}, {"criticism"}]
    subjects = [comment(labels=labels, platform=platform, author_prior_removals=n)
                for labels in label_sets for platform in ("x", "facebook", "instagram")
                for n in (0, 2)]
    expected = [mini.decide(s) for s in subjects]
    results: list[list[sp.Decision]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append([mini.decide(s) for s in subjects * 5])
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 8
    for result in results:
        assert result == expected * 5


def test_convenience_decide_uses_a_bundled_policy() -> None:
    d = sp.decide(comment(labels={"targeted_abuse"}), policy="mhra", engine="reference")
    assert d.policy_id == "mhra" and d.outcome == "delete"


def test_decisions_survive_pickling_as_they_cross_to_worker_processes() -> None:
    import pickle

    policy = sp.load_policy("mse_icb", engine="reference")
    comment = sp.Comment(platform="facebook", author="@a", posted_at="2026-04-02T10:00:00+01:00",
                         text="Call me on 07700 900123", labels={"complaint"})
    decisions = policy.decide_many([comment, {"kind": "comment", "platform": "myspace"}])
    back = pickle.loads(pickle.dumps(decisions))
    assert back == decisions
    assert back[0].findings[0].evidence == decisions[0].findings[0].evidence
    assert back[0].findings and back[1].outcome == "error" and back[1].error_detail


def test_a_decisions_lists_are_read_only_and_shared() -> None:
    """Decisions are immutable, lists included; decisions with the same outcome share their
    lists (what keeps a million kept decisions small for memory and the garbage collector)."""
    import copy
    import pickle

    policy = sp.load_policy("mse_icb", engine="reference")
    first, second = (policy.decide(comment(text=f"spam spam {i}", labels={"spam"}),
                                   as_of=date(2025, 6, 1))  # before its review date
                     for i in range(2))
    assert first.actions is second.actions and first.citations is second.citations
    assert first.warnings is second.warnings  # both empty: one shared empty list
    late = policy.decide(comment(labels={"spam"}), as_of=date(2027, 1, 1))
    assert late.warnings and late.warnings is policy.decide(comment(), as_of=date(2027, 1, 1)
                                                            ).warnings
    assert isinstance(first.actions, list) and first.actions == list(first.actions)
    for change in (lambda: first.actions.append(first.actions[0]),
                   lambda: first.citations.clear(), lambda: first.warnings.extend(["x"]),
                   lambda: first.findings.__setitem__(0, first.findings[0]),
                   lambda: first.actions.sort(key=str)):
        with pytest.raises(TypeError, match=r"cannot be changed.*list\(\.\.\.\)"):
            change()
    assert first.citations and first.warnings == []  # nothing changed
    again = pickle.loads(pickle.dumps(first))
    assert again == first and type(again.actions) is type(first.actions)
    assert copy.deepcopy(first) == first
    mine = list(first.actions)
    mine.append(first.actions[0])  # a copy is an ordinary list
    assert len(mine) == len(first.actions) + 1
