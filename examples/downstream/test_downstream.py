"""Property tests a project that uses socialpolicy might run in its own CI.

Only the installed package is used (`pip install 'socialpolicy[testing]' pytest`); the
Hypothesis profiles are in conftest.py beside this file.
"""

from hypothesis import given
from hypothesis import strategies as st

import socialpolicy as sp
from socialpolicy.testing import comments, staff_posts, subjects

MSE_ICB = sp.load_policy("mse_icb")
MHRA = sp.load_policy("mhra")

# Criticism in words the library's text detectors (personal details, swearing) do not flag.
CRITICISM = st.sampled_from(["This service is a shambles", "Why is nobody answering the phone?",
                             "Three weeks for an appointment is not good enough", ""])


@given(comments(labels={"criticism", "complaint"}, text=CRITICISM))
def test_criticism_alone_is_never_hidden_or_deleted(comment: sp.Comment) -> None:
    for policy in (MSE_ICB, MHRA):
        decision = policy.decide(comment)
        assert decision.outcome in ("leave", "not_covered"), decision.summary()
        assert decision.citations or decision.outcome == "not_covered"


ABUSIVE = comments(labels={"targeted_abuse", "hate_speech"}, channel=["comment", "reply"])


@given(ABUSIVE.filter(lambda comment: bool(comment.labels)))
def test_abuse_is_removed_or_hidden_and_reported_under_mhra(comment: sp.Comment) -> None:
    decision = MHRA.decide(comment)
    assert decision.outcome in ("hide", "delete"), decision.summary()
    if decision.outcome == "hide":  # the platform cannot delete another user's comment
        assert sp.Action("report_to_platform") in decision.actions
    assert "annex-a/abuse" in [c.clause_id for c in decision.citations]


@given(staff_posts(kind="corporate", names=MSE_ICB.document.names))
def test_a_corporate_account_outside_the_comms_team_is_a_breach(post: sp.StaffPost) -> None:
    decision = MSE_ICB.decide(post)
    if decision.outcome != "not_covered" and not post.author.is_communications_team:
        assert decision.outcome == "breach", decision.summary()


@given(st.lists(st.one_of(subjects(), st.just({"kind": "comment", "text": "no platform"})),
                max_size=8))
def test_a_batch_keeps_every_row_in_order(
        rows: list[sp.Comment | sp.StaffPost | sp.AccountRequest | dict[str, str]]) -> None:
    decisions = MSE_ICB.decide_many(rows)
    assert [d.row for d in decisions] == list(range(len(rows)))
    for row, decision in zip(rows, decisions, strict=True):
        assert (decision.outcome == "error") == isinstance(row, dict)
