"""`socialpolicy diff` and `socialpolicy analyze` on bundled policies and edited copies."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import socialpolicy as sp
from socialpolicy.analysis.diff import diff_policies
from socialpolicy.analysis.questions import agreement, can_happen, never_change_outcome
from socialpolicy.cli import main

POLICIES = Path(sp.__file__).resolve().parents[2] / "policies"


def edited_copy(tmp_path: Path, policy_id: str, old: str, new: str) -> Path:
    """A copy of a bundled policy (with its source) with one line of YAML replaced."""
    (tmp_path / "sources").mkdir()
    shutil.copy(POLICIES / "sources" / f"{policy_id}.txt", tmp_path / "sources")
    text = (POLICIES / f"{policy_id}.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / f"{policy_id}.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_diff_reports_exactly_the_changed_condition(tmp_path: Path, capsys: Any) -> None:
    copy = edited_copy(tmp_path, "mhra", "    when: {field: channel, in: [comment, reply]}",
                       "    when: {field: channel, eq: comment}")
    code = main(["diff", "mhra", str(copy), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and not report["identical"]
    assert report["clauses"] == []
    regions = report["regions"]
    assert regions and all(r["kind"] == "comment" for r in regions)
    for region in regions:
        assert region["witness"]["channel"] == "reply"  # only replies are decided differently
        assert region["old"] != region["new"]
        assert all("channel = reply" in c for c in region["condition"])


def test_diff_of_identical_files_reports_nothing(tmp_path: Path, capsys: Any) -> None:
    copy = edited_copy(tmp_path, "portsmouth", "id: portsmouth", "id: portsmouth")
    assert main(["diff", "portsmouth", str(copy), "--exit-code"]) == 0
    assert "no difference" in capsys.readouterr().out


def test_diff_shows_a_reworded_clause_and_exit_code(tmp_path: Path, capsys: Any) -> None:
    policy = sp.load_policy("mhra", engine="reference")
    clause = policy.clauses[0]
    document = replace(policy.document, clauses=(
        replace(clause, text=clause.text + " Reworded at the end."), *policy.clauses[1:]))
    reworded = sp.Policy(document, policy.ir, "reference")
    result = diff_policies(policy, reworded)
    assert not result.regions  # same rules: every subject is decided the same way
    assert [(c.clause_id, c.status) for c in result.clauses] == [(clause.id, "changed")]
    assert "+" in result.clauses[0].diff and "Reworded at the end." in result.clauses[0].diff
    assert not result.identical and "1 clause text change" in str(result)
    copy = edited_copy(tmp_path, "mhra", "    when: {field: channel, in: [comment, reply]}",
                       "    when: {field: channel, eq: comment}")
    assert main(["diff", "mhra", str(copy), "--exit-code", "--kind", "comment"]) == 1
    assert "region(s) where decisions differ" in capsys.readouterr().out


def test_diff_replay_counts_rows(tmp_path: Path, capsys: Any) -> None:
    copy = edited_copy(tmp_path, "mhra", "    when: {field: channel, in: [comment, reply]}",
                       "    when: {field: channel, eq: comment}")
    rows = tmp_path / "rows.jsonl"
    base = {"kind": "comment", "platform": "facebook", "text": "", "author": "@a",
            "posted_at": "2026-03-04T10:00:00Z"}
    rows.write_text("\n".join(json.dumps(base | {"channel": ch}) for ch in
                              ("comment", "reply", "reply", "mention")) + "\n")
    assert main(["diff", "mhra", str(copy), "--replay", str(rows), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["replayed_rows"] == 4
    assert sum(r["rows"] for r in report["regions"]) == 2


def test_analyze_reports_reachable_outcomes(capsys: Any) -> None:
    assert main(["analyze", "mhra", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    comment = next(k for k in report if k["kind"] == "comment")
    possible = {o["outcome"]: o["possible"] for o in comment["outcomes"]}
    policy = sp.load_policy("mhra", engine="reference")
    for outcome, can in possible.items():
        assert can == can_happen(policy, "comment", outcome).possible
    staff = next(k for k in report if k["kind"] == "staff_post")
    assert [o["outcome"] for o in staff["outcomes"] if o["possible"]] == ["not_covered"]


def test_can_happen_gives_a_verified_witness_or_a_reason() -> None:
    policy = sp.load_policy("mse_icb", engine="reference")
    reach = can_happen(policy, "comment", "delete")
    assert reach.possible and reach.decision is not None
    assert policy.decide(reach.witness).outcome == "delete"
    never = can_happen(policy, "comment", "not_covered")
    assert not never.possible and never.reason


def test_rules_that_never_change_an_outcome_really_do_not() -> None:
    policy = sp.load_policy("mse_icb", engine="reference")
    for effect in never_change_outcome(policy, "account_request"):
        ir = policy.ir
        block = ir["kinds"]["account_request"]
        block["rules"] = [r for r in block["rules"] if r["id"] != effect.rule_id]
        reduced = sp.Policy(policy.document, ir, "reference")
        assert not agreement(policy, reduced, ("account_request",)).regions


def test_two_organisations_disagree_with_witnesses(capsys: Any) -> None:
    assert main(["analyze", "hra", "--agree", "portsmouth", "--kind", "account_request",
                 "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["regions"]
    for region in report["regions"]:
        assert region["old"]["outcome"] != region["new"]["outcome"]
