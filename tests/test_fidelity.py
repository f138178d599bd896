"""Readings faithful to the text: clause roles, and warnings when a decision rests on text the
source document is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

import socialpolicy as sp

from .conftest import FIXTURES, comment, staff_post

MINI = (FIXTURES / "mini.yaml").read_text()


def test_clause_role_defaults_to_substantive_and_marks_procedure() -> None:
    policy = sp.load_policy("mse_icb", engine="reference")
    roles = {c.id: c.role for c in policy.clauses}
    assert roles["6.4.1"] == "procedural"  # the 48-hour response deadline
    assert roles["6.3.2"] == "procedural"  # monitoring comments
    assert roles["7.1.6/confidential"] == "substantive"
    assert roles["appendix-b/personal-details"] == "substantive"


@pytest.mark.parametrize("policy_id", sp.available_policies())
def test_every_bundled_policy_marks_some_procedural_clauses(policy_id: str) -> None:
    policy = sp.load_policy(policy_id, engine="reference")
    assert any(c.role == "procedural" for c in policy.clauses)
    assert any(c.role == "substantive" for c in policy.clauses)


def test_bad_role_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(MINI.replace("status: not_encodable,", "status: not_encodable, role: admin,"))
    found = [(d.code, d.hint) for d in sp.lint([path])]
    assert found and found[0][0] == "bad-value"


def test_portsmouth_default_warns_that_the_lists_are_cut_off(engine: str) -> None:
    policy = sp.load_policy("portsmouth", engine=engine)  # type: ignore[arg-type]
    decision = policy.decide(staff_post(text="Lovely sunset tonight"))
    assert decision.outcome == "compliant"
    cut = [w for w in decision.warnings if "cut off" in w]
    assert [w.split(" ")[1] for w in cut] == ["9.4", "9.6", "9.7", "9.8"]


def test_portsmouth_rule_on_complete_text_carries_no_cut_off_warning(engine: str) -> None:
    policy = sp.load_policy("portsmouth", engine=engine)  # type: ignore[arg-type]
    decision = policy.decide(staff_post(account={"handle": "@ccg", "kind": "corporate"}))
    assert decision.outcome == "breach"  # 10.1: only the communications team uses the accounts
    assert not [w for w in decision.warnings if "cut off" in w]


def test_portsmouth_confidential_post_rests_on_cut_off_9_6(engine: str) -> None:
    policy = sp.load_policy("portsmouth", engine=engine)  # type: ignore[arg-type]
    public = policy.decide(staff_post(labels=["confidential"]))
    assert [c.clause_id for c in public.citations] == ["9.6"]
    assert any(w.startswith("clause 9.6 ") and "cut off" in w for w in public.warnings)
    direct = policy.decide(staff_post(labels=["confidential"], format="direct_message"))
    assert [c.clause_id for c in direct.citations] == ["9.6", "9.9"]


def test_mhra_abuse_row_warns_its_details_are_truncated(engine: str) -> None:
    policy = sp.load_policy("mhra", engine=engine)  # type: ignore[arg-type]
    decision = policy.decide(comment(labels=["targeted_abuse"]))
    assert decision.outcome == "delete"
    assert any(w.startswith("clause annex-a/abuse") and "cut off" in w
               for w in decision.warnings)


def test_default_cut_off_must_name_a_cut_off_clause(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(MINI.replace('cites: ["5.1"], reason:', 'cites: ["5.1"], cut_off: ["5.3"], '
                                                           'reason:'))
    assert "bad-value" in {d.code for d in sp.lint([path])}
    path.write_text(path.read_text().replace(
        "reason: training records are not part of a post}",
        "reason: training records are not part of a post, cut_off: the list is missing}"))
    assert not sp.lint([path])
    decision = sp.load_policy(path, engine="reference").decide(staff_post())
    assert any(w.startswith("clause 5.3 (Training) is cut off") for w in decision.warnings)


def test_a_fallback_action_is_dropped_when_the_comment_is_deleted_anyway(engine: str) -> None:
    policy = sp.load_policy("mhra", engine=engine)  # type: ignore[arg-type]
    alone = policy.decide(comment(platform="instagram", labels=["misinformation"]))
    assert alone.outcome == "leave"
    assert [a.kind for a in alone.actions] == ["notify_comms_team"]  # cannot hide: flag it
    both = policy.decide(comment(platform="instagram", labels=["misinformation",
                                                               "targeted_abuse"]))
    assert both.outcome == "delete"
    assert "notify_comms_team" not in {a.kind for a in both.actions}


def test_seek_approval_needs_a_target(tmp_path: Path) -> None:
    rule = """
  - id: ask-first
    applies_to: staff_post
    when: {label: political}
    outcome: advisory
    actions: [{kind: seek_approval}]
    cites: ["5.1"]
    reason: ask first
    examples: {fires: [{labels: [political]}], does_not_fire: [{}]}
"""
    path = tmp_path / "policy.yaml"
    path.write_text(MINI.replace("\nrules:\n", "\nrules:\n" + rule, 1))
    found = [d for d in sp.lint([path]) if "seek_approval" in d.message]
    assert found, "a seek_approval without a target is reported"
    path.write_text(MINI.replace("\nrules:\n", "\nrules:\n" + rule.replace(
        "{kind: seek_approval}", "{kind: seek_approval, target: line_manager}"), 1))
    assert sp.lint([path]) == []
