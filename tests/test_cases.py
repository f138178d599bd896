"""The policy author's test runner: `sp.run_cases` and `socialpolicy test`.

A sixth organisation's author writes a policy and a case file beside it, runs the tests, sees a
wrong expectation fail at the case's position with expected vs actual, fixes it and sees it pass.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest

import socialpolicy as sp
from socialpolicy.cli import main

FIXTURES = Path(__file__).parent / "fixtures"

CASES = """\
policy: mini_council
cases:
  - name: abuse is deleted
    subject:
      kind: comment
      labels: [targeted_abuse]
    expect:
      outcome: delete
      cites: ["4.1", "4.4"]
      actions:
        - {kind: contact_author}
      rules: [abuse-delete, reply-in-two-days]
  - name: a staff post with the council in the handle breaches
    subject:
      kind: staff_post
      account: {handle: "@jo_EBC"}
    expect:
      outcome: breach
      cites: ["5.2"]
"""

INVARIANT = """\
invariants:
  - id: spam-is-never-left
    applies_to: comment
    when: {label: spam}
    outcome_not_in: [leave]
    cites: ["4.2"]
    reason: spam is hidden
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A policy with its cases in `cases/<id>.yaml` beside it, as the how-to lays it out."""
    shutil.copy(FIXTURES / "mini.yaml", tmp_path / "mini.yaml")
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "mini_council.yaml").write_text(CASES)
    return tmp_path


def _engines() -> tuple[str, ...]:
    return tuple(sp.run_cases(FIXTURES / "mini.yaml", engines=("durable", "reference")).engines)


@pytest.mark.needs_durable  # counts the durable engine's results
def test_a_passing_policy_runs_examples_and_cases_on_both_engines(folder: Path) -> None:
    report = sp.run_cases(folder / "mini.yaml")
    assert report.ok and report.failed == 0
    assert report.engines == ("durable", "reference")
    kinds = [(r.kind, r.engine) for r in report.results]
    examples = sum(len(rule.examples) for rule in sp.load_policy(folder / "mini.yaml").rules)
    assert kinds.count(("example", "durable")) == examples
    assert kinds.count(("case", "reference")) == 2
    assert report.summary() == f"{report.passed} passed, 0 failed"
    assert report.passed == 2 * (examples + 2)


@pytest.mark.needs_durable  # reports the durable engine's failure first
def test_a_wrong_expectation_fails_at_the_case_position_then_passes_when_fixed(
        folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = folder / "cases" / "mini_council.yaml"
    cases.write_text(CASES.replace("outcome: delete", "outcome: hide"))
    report = sp.run_cases(folder / "mini.yaml")
    assert [(f.kind, f.name, f.engine) for f in report.failures] == [
        ("case", "abuse is deleted", "durable"), ("case", "abuse is deleted", "reference")]
    failure = report.failures[0]
    assert (failure.position.file, failure.position.line) == (str(cases), 3)
    assert failure.expected["outcome"] == "hide" and failure.actual["outcome"] == "delete"
    assert failure.actual["cites"] == ["4.1", "4.4"]

    assert main(["test", str(folder / "mini.yaml")]) == 1
    out = capsys.readouterr().out
    assert f"{cases}:3:5: FAILED case `abuse is deleted` (mini_council, durable engine)" in out
    assert "outcome: expected hide, got delete   <-- differs" in out
    assert "cites: expected [4.1, 4.4], got [4.1, 4.4]\n" in out
    assert out.splitlines()[-1] == f"{report.passed} passed, 2 failed"

    cases.write_text(CASES)
    assert main(["test", str(folder / "mini.yaml")]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith(" passed, 0 failed")


def test_missing_actions_rules_and_deadline_are_each_compared(folder: Path) -> None:
    wrong = CASES.replace("{kind: contact_author}", "{kind: ban_author}").replace(
        "rules: [abuse-delete, reply-in-two-days]",
        'rules: [abuse-delete]\n      respond_by: null')
    (folder / "cases" / "mini_council.yaml").write_text(wrong)
    failure = sp.run_cases(folder / "mini.yaml", engines=("reference",)).failures[0]
    assert failure.expected["actions present"] == ["ban_author"]
    assert failure.actual["actions present"] == []
    assert failure.expected["rules"] == ["abuse-delete"]
    assert failure.actual["rules"] == ["abuse-delete", "reply-in-two-days"]
    assert failure.expected["respond_by"] is None and failure.actual["respond_by"] is not None


def test_a_case_whose_subject_is_invalid_fails_naming_the_field(folder: Path) -> None:
    (folder / "cases" / "mini_council.yaml").write_text(
        CASES.replace("labels: [targeted_abuse]", "labels: [targted_abuse]"))
    report = sp.run_cases(folder / "mini.yaml", engines=("reference",))
    [failure] = report.failures
    assert failure.message is not None
    assert failure.message.startswith("the case could not be decided: `labels`")
    assert "targeted_abuse" in failure.message  # the did-you-mean


def test_a_malformed_case_file_cannot_run_and_says_where(
        folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = folder / "cases" / "mini_council.yaml"
    cases.write_text(CASES.replace("    expect:\n      outcome: breach\n      cites: [\"5.2\"]\n",
                                   "    expectt: {}\n"))
    with pytest.raises(sp.PolicyError) as raised:
        sp.run_cases(folder / "mini.yaml")
    found = [(d.code, d.line) for d in raised.value.diagnostics]
    assert found == [("missing-field", 13), ("unknown-field", 17)]
    assert main(["test", str(folder / "mini.yaml")]) == 2
    assert f"{cases}:17:5: error[unknown-field]" in capsys.readouterr().err


def test_cases_from_an_explicit_path_and_a_missing_one(
        folder: Path, tmp_path_factory: pytest.TempPathFactory,
        capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "mine.yaml"
    elsewhere.write_text(CASES.replace("outcome: breach", "outcome: compliant"))
    report = sp.run_cases(folder / "mini.yaml", elsewhere)
    assert {f.name for f in report.failures} == {
        "a staff post with the council in the handle breaches"}
    assert main(["test", str(folder / "mini.yaml"), "--cases", str(elsewhere.parent)]) == 2
    assert "mini_council.yaml` not found" in capsys.readouterr().err


def test_no_case_file_runs_examples_and_says_so() -> None:
    report = sp.run_cases(FIXTURES / "mini.yaml", engines=("reference",))
    assert report.ok and {r.kind for r in report.results} == {"example"}
    assert report.notes == ("mini_council: no decision-case file (looked for "
                            "`cases/mini_council.yaml` beside the policy)",)


def test_a_broken_invariant_fails_with_a_pasteable_counterexample(folder: Path) -> None:
    text = (folder / "mini.yaml").read_text()
    (folder / "mini.yaml").write_text(text + INVARIANT.replace("outcome_not_in: [leave]",
                                                               "outcome_not_in: [hide]"))
    report = sp.run_cases(folder / "mini.yaml", engines=("reference",))
    [failure] = report.failures
    assert failure.kind == "invariant" and failure.name == "spam-is-never-left"
    assert failure.message is not None
    assert failure.message.startswith("# invariant `spam-is-never-left` (mini_council")
    assert "outcome is hide, which the invariant rules out" in failure.message
    (folder / "mini.yaml").write_text(text + INVARIANT)
    assert sp.run_cases(folder / "mini.yaml", engines=("reference",)).ok


def test_json_and_junit_outputs(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "cases" / "mini_council.yaml").write_text(
        CASES.replace("outcome: breach", "outcome: advisory"))
    xml = folder / "report.xml"
    assert main(["test", str(folder / "mini.yaml"), "--format", "json", "--engine", "reference",
                 "--junit-xml", str(xml)]) == 1
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert (data["failed"], data["engines"]) == (1, ["reference"])
    [failed] = [r for r in data["results"] if not r["passed"]]
    assert (failed["line"], failed["expected"]["outcome"], failed["actual"]["outcome"]) == (
        13, "advisory", "breach")
    assert captured.err.strip() == f"{data['passed']} passed, 1 failed"
    root = ElementTree.parse(xml).getroot()
    assert (root.get("tests"), root.get("failures")) == (str(data["passed"] + 1), "1")
    [failure] = root.iter("failure")
    assert "outcome: expected advisory, got breach" in (failure.text or "")


def test_bundled_policies_and_unknown_ids(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", "mhra", "--engine", "reference"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith(" passed, 0 failed")
    assert main(["test", "mhrra"]) == 2
    assert "did you mean `mhra`?" in capsys.readouterr().err
