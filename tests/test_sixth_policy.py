"""Adding an organisation is writing one YAML file (and its source text): no Python change.

The policy below is written from scratch into a temporary folder, the way
docs/how-to/add-an-organisation.md describes, then loaded, decided under both engines, checked
for coverage and compared beside a bundled policy.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import socialpolicy as sp

from .conftest import comment, staff_post

SOURCE = """\
Example Valley NHS Trust
Social media policy, version 1.0

1 Scope
1.1 This policy applies to all Trust employees and volunteers.

2 Staff use of social media
2.1 Staff must never post information that could identify a patient.
2.2 Do not use the Trust's name in your personal account handle.
2.3 Staff should complete social media training every year.

3 Comments on our pages
3.1 We delete abusive comments where the platform allows, and otherwise hide and report them.
3.2 We hide spam.
3.3 All other comments, including criticism of the Trust, are left.
"""

POLICY = """\
id: example_trust
organisation: Example Valley NHS Trust
title: Social media policy
version: "1.0"
effective: "2025-04-01"
review: "2027-04-01"
source: Example Valley NHS Trust social media policy v1.0
source_file: example_trust.txt
names: [Example Valley NHS Trust, Example Valley, EVT]
topics:
  patient_information:
    summary: never post information that could identify a patient
    cites: ["2.1"]
  org_name_in_personal_handle:
    summary: the Trust's name must not be used in a personal handle
    cites: ["2.2"]
  removing_public_comments:
    summary: abuse deleted (else hidden and reported); spam hidden; criticism left
    cites: ["3.1", "3.2", "3.3"]
unread_labels:
  comment: the policy has rules on abuse and spam only; every other comment is left (3.3)
  staff_post: the policy has clauses on patient information and handles only
kinds:
  comment:
    default: {outcome: leave, cites: ["3.3"],
              reason: "other comments, criticism included, are left"}
  staff_post:
    default: {outcome: compliant, cites: ["1.1"], reason: nothing in the post breaks the policy}
    scope:
      when: {field: author.employment, in: [employee, volunteer]}
      cites: ["1.1"]
      outside: the policy covers Trust employees and volunteers only
  account_request:
    not_covered: the policy says nothing about opening accounts
clauses:
  - {id: "1.1", title: Scope, text: This policy applies to all Trust employees and volunteers.,
     status: encoded}
  - {id: "2.1", title: Patients, text: Staff must never post information that could identify a
       patient., status: encoded}
  - {id: "2.2", title: Handles, text: "Do not use the Trust's name in your personal account
       handle.", status: encoded}
  - {id: "2.3", title: Training, text: Staff should complete social media training every year.,
     status: not_encodable, reason: training records are not part of a post}
  - {id: "3.1", title: Abuse, text: "We delete abusive comments where the platform allows, and
       otherwise hide and report them.", status: encoded}
  - {id: "3.2", title: Spam, text: We hide spam., status: encoded}
  - {id: "3.3", title: Everything else, text: "All other comments, including criticism of the
       Trust, are left.", status: encoded}
rules:
  - id: abuse-delete
    applies_to: comment
    when: {label: targeted_abuse}
    outcome: delete
    if_unavailable: {outcome: hide, actions: [{kind: report_to_platform}]}
    cites: ["3.1"]
    reason: abusive comments are deleted, or hidden and reported where deleting is impossible
    examples:
      fires: [{labels: [targeted_abuse]}]
      does_not_fire: [{labels: [criticism]}]
  - id: spam-hide
    applies_to: comment
    when: {label: spam}
    outcome: hide
    cites: ["3.2"]
    reason: spam is hidden
    examples:
      fires: [{labels: [spam]}]
      does_not_fire: [{labels: [advertising]}]
  - id: identifies-a-patient
    applies_to: staff_post
    when: {label: patient_identifiable}
    outcome: breach
    cites: ["2.1"]
    reason: information that could identify a patient must never be posted
    examples:
      fires: [{labels: [patient_identifiable]}]
      does_not_fire: [{labels: [confidential]}]
  - id: trust-name-in-handle
    applies_to: staff_post
    when: {fact: handle_names_org}
    outcome: breach
    cites: ["2.2"]
    reason: a personal handle must not carry the Trust's name
    examples:
      fires: [{account: {handle: "@jo_EVT"}}]
      does_not_fire: [{account: {handle: "@jo_bloggs"}}]
"""


def write_sixth_policy(folder: Path, policy: str = POLICY, source: str = SOURCE) -> Path:
    """Write the policy and, beside it, `sources/<source_file>`; return the policy's path."""
    (folder / "sources").mkdir(exist_ok=True)
    (folder / "sources" / "example_trust.txt").write_text(source, encoding="utf-8")
    path = folder / "example_trust.yaml"
    path.write_text(policy, encoding="utf-8")
    return path


@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_a_sixth_policy_loads_and_decides(tmp_path: Path, engine: str) -> None:
    policy = sp.load_policy(write_sixth_policy(tmp_path), engine=engine)  # type: ignore[arg-type]
    assert (policy.id, policy.organisation) == ("example_trust", "Example Valley NHS Trust")

    on_x = policy.decide(comment(platform="x", labels={"targeted_abuse"}))
    assert on_x.outcome == "hide"
    assert sp.Action("report_to_platform") in on_x.actions
    assert [c.clause_id for c in on_x.citations] == ["3.1"]
    assert policy.decide(comment(labels={"targeted_abuse"})).outcome == "delete"
    left = policy.decide(comment(labels={"criticism"}))
    assert (left.outcome, [c.clause_id for c in left.citations]) == ("leave", ["3.3"])

    handle = policy.decide(staff_post(account={"handle": "@sam_EVT"}))
    assert handle.outcome == "breach"
    assert handle.citations[0].text == (
        "Do not use the Trust's name in your personal account handle.")
    outside = policy.decide(staff_post(author={"employment": "contractor"},
                                       labels={"patient_identifiable"}))
    assert outside.outcome == "not_covered"
    assert policy.decide(sp.AccountRequest(platform="x", purpose="blog")).outcome == "not_covered"


CASES = """\
policy: example_trust
cases:
  - name: abuse on facebook is deleted
    subject: {kind: comment, platform: facebook, labels: [targeted_abuse]}
    expect: {outcome: delete, cites: ["3.1"]}
  - name: criticism is left
    subject: {kind: comment, labels: [criticism]}
    expect: {outcome: leave, cites: ["3.3"]}
"""


def test_a_sixth_policy_passes_coverage(tmp_path: Path) -> None:
    path = write_sixth_policy(tmp_path)
    cases = tmp_path / "cases"
    cases.mkdir()
    (report,) = sp.check_coverage([path], cases=cases)
    assert report.ok, report.problems
    assert dict(report.clauses) == {"encoded": 6, "not_encodable": 1, "out_of_scope": 0}
    assert dict(report.rules) == {"comment": 2, "staff_post": 2, "account_request": 0}
    assert dict(report.examples) == {"fires": 4, "does_not_fire": 4}
    assert report.cases is None  # no cases file yet
    (cases / "example_trust.yaml").write_text(CASES, encoding="utf-8")
    (report,) = sp.check_coverage([path], cases=cases)
    assert report.ok, report.problems
    assert (report.cases, report.encoded_in_cases) == (2, 2)


def test_a_sixth_policy_gets_a_comparison_column(tmp_path: Path) -> None:
    comparison = sp.compare_policies(["mhra", write_sixth_policy(tmp_path)])
    assert comparison.policy_ids == ["mhra", "example_trust"]
    assert comparison.cell("patient_information", "example_trust") == (
        "never post information that could identify a patient (2.1)")
    assert comparison.cell("patient_information", "mhra") == "no clause"
    assert comparison.cell("journalists", "example_trust") == "no clause"
    assert "| `mhra` | `example_trust` |" in comparison.to_markdown()


@pytest.mark.needs_durable  # reports the durable engine's failure first
def test_a_sixth_policy_runs_its_tests_as_the_how_to_ends(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from socialpolicy.cli import main

    path = write_sixth_policy(tmp_path)
    (tmp_path / "cases").mkdir()
    cases = tmp_path / "cases" / "example_trust.yaml"
    cases.write_text(CASES.replace("outcome: delete", "outcome: hide"), encoding="utf-8")
    assert main(["test", str(path)]) == 1
    out = capsys.readouterr().out
    assert (f"{cases}:3:5: FAILED case `abuse on facebook is deleted` (example_trust, durable "
            "engine)\n  the decision differs from the expectation\n"
            "  outcome: expected hide, got delete   <-- differs\n"
            "  cites: expected [3.1], got [3.1]\n  rules fired: [abuse-delete]\n") in out
    assert out.splitlines()[-1] == "18 passed, 2 failed"
    cases.write_text(CASES, encoding="utf-8")
    assert main(["test", str(path)]) == 0
    assert capsys.readouterr().out == "20 passed, 0 failed\n"
