"""`socialpolicy coverage`: counts that match the policies, and a failure on every coverage gap."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import socialpolicy as sp
from socialpolicy._yaml import load
from socialpolicy.analysis.coverage import Coverage, coverage_of, render
from socialpolicy.cli import main

from .test_sixth_policy import POLICY, write_sixth_policy

ROOT = Path(__file__).parent.parent
CASES = Path(__file__).parents[1] / "policies" / "cases"


@pytest.fixture(scope="module")
def bundled() -> list[Coverage]:
    return sp.check_coverage(cases=CASES)


def test_every_bundled_policy_passes(bundled: list[Coverage]) -> None:
    assert [report.policy for report in bundled] == sp.available_policies()
    assert [report.problems for report in bundled] == [()] * len(bundled)


def test_counts_match_the_loaded_policies(bundled: list[Coverage]) -> None:
    for report in bundled:
        policy = sp.load_policy(report.policy, engine="reference")
        statuses = [clause.status for clause in policy.clauses]
        assert dict(report.clauses) == {s: statuses.count(s) for s in
                                        ("encoded", "not_encodable", "out_of_scope")}
        kinds = [rule.applies_to for rule in policy.rules]
        assert dict(report.rules) == {k: kinds.count(k) for k in
                                      ("comment", "staff_post", "account_request")}
        groups = [example.fires for rule in policy.rules for example in rule.examples]
        assert dict(report.examples) == {"fires": groups.count(True),
                                         "does_not_fire": groups.count(False)}
        doc, _ = load((CASES / f"{report.policy}.yaml").read_text(), "cases")
        assert doc is not None
        cases = doc.data["cases"]
        assert report.cases == len(cases)
        cited = {clause_id for case in cases for clause_id in case["expect"]["cites"]}
        encoded = {c.id for c in policy.clauses if c.status == "encoded"}
        assert report.encoded_in_cases == len(cited & encoded) > 0


# Each coverage gap the issue names, made in a clean policy: (old text, new text, code).
GAPS = [
    ('  - {id: "3.2", title: Spam, text: We hide spam., status: encoded}\n',
     '  - {id: "3.2", title: Spam, text: We hide spam., status: encoded}\n'
     '  - {id: "3.4", title: Ads, text: We hide spam., status: encoded}\n', "uncited-clause"),
    ('    cites: ["3.2"]\n    reason: spam is hidden',
     '    cites: ["3.9"]\n    reason: spam is hidden', "unknown-clause"),
    ("      does_not_fire: [{labels: [advertising]}]\n", "      does_not_fire: []\n",
     "missing-examples"),
    ("    examples:\n      fires: [{labels: [spam]}]\n"
     "      does_not_fire: [{labels: [advertising]}]\n", "", "missing-field"),
    ("text: We hide spam.,", "text: We always hide spam.,", "not-verbatim"),
    ("source_file: example_trust.txt\n", "", "missing-source"),
]


def _empty(tmp_path: Path) -> Path:
    folder = tmp_path / "no_cases"
    folder.mkdir()
    return folder


@pytest.mark.parametrize(("old", "new", "code"), GAPS, ids=[gap[2] for gap in GAPS])
def test_coverage_fails_on_each_gap(tmp_path: Path, old: str, new: str, code: str,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert POLICY.count(old) == 1
    path = write_sixth_policy(tmp_path, POLICY.replace(old, new))
    (report,) = sp.check_coverage([path], cases=_empty(tmp_path))
    assert not report.ok
    assert code in {problem.code for problem in report.problems}
    assert main(["coverage", str(path)]) == 3
    out, err = capsys.readouterr()
    assert f"error[{code}]" in out
    assert re.search(r"example_trust +.* +[0-9]+ problems?$", out, re.MULTILINE)
    assert "problem" in err


def test_uncited_clause_is_reported_at_its_line(tmp_path: Path) -> None:
    old, new, _ = GAPS[0]
    path = write_sixth_policy(tmp_path, POLICY.replace(old, new))
    (report,) = sp.check_coverage([path], cases=_empty(tmp_path))
    (problem,) = report.problems
    assert problem.code == "uncited-clause"
    assert "clause `3.4` is encoded but no rule cites it" in problem.message
    assert path.read_text().splitlines()[problem.line - 1].lstrip().startswith('- {id: "3.4"')


def _with_cases(tmp_path: Path, content: str | bytes) -> tuple[Path, Path]:
    """The sixth policy, and a cases folder holding `content` as its case file."""
    cases = tmp_path / "cases"
    cases.mkdir()
    data = content.encode() if isinstance(content, str) else content
    (cases / "example_trust.yaml").write_bytes(data)
    return write_sixth_policy(tmp_path), cases


def test_bad_decision_cases_are_problems(tmp_path: Path) -> None:
    path, cases = _with_cases(
        tmp_path, "policy: other_trust\ncases:\n  - {name: x, subject: {kind: comment},\n"
        "     expect: {outcome: leave, cites: ['3.3', '9.9']}}\n")
    (report,) = sp.check_coverage([path], cases=cases)
    assert [(p.code, p.line) for p in report.problems] == [("bad-value", 1),
                                                           ("unknown-clause", 4)]
    assert (report.cases, report.encoded_in_cases) == (1, 1)


def test_cases_directory_must_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage", "mhra", "--cases", str(tmp_path / "nowhere")]) == 2
    assert "cases directory" in capsys.readouterr().err


def test_bundled_cases_are_found_from_any_directory(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The cases ship beside the policies, so an installed library finds them wherever it runs.
    monkeypatch.chdir(tmp_path)
    doc, _ = load((CASES / "mhra.yaml").read_text(), "cases")
    assert sp.check_coverage(["mhra"])[0].cases == len(doc.data["cases"])


def test_cli_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage", "mhra", "mse_icb", "--cases", str(CASES),
                 "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("| policy | clauses | rules | examples | cases | cited by cases | "
                          "unread labels | result |\n|---|")
    assert re.search(r"^\| mse_icb \| [0-9]+ = .* \| ok \|$", out, re.MULTILINE)


def test_the_docs_show_the_current_output(bundled: list[Coverage]) -> None:
    doc = (ROOT / "docs" / "reference" / "coverage.md").read_text()
    shown = re.search(r"```text\n\$ socialpolicy coverage\n(.*?)```", doc, re.DOTALL)
    assert shown is not None, "docs/reference/coverage.md lost its coverage block"
    assert shown[1] == render(bundled), (
        "docs/reference/coverage.md is out of date: paste the output of `socialpolicy coverage` "
        "run from the repository root")



def test_an_unread_label_needs_a_reason(tmp_path: Path) -> None:
    """Every staff-post label of the vocabulary is read by a rule or has a reason; dropping one
    reason makes coverage report the gap, at the `unread_labels` block."""
    source = (ROOT / "policies" / "mse_icb.yaml").read_text()
    reason = '    religious: "7.1.9 bars getting political but says nothing about religion"\n'
    assert reason in source
    folder = tmp_path / "p"
    shutil.copytree(ROOT / "policies", folder)
    (folder / "mse_icb.yaml").write_text(source.replace(reason, ""))
    report = coverage_of(folder / "mse_icb.yaml", folder / "cases")
    assert [(d.code, "`religious`" in d.message) for d in report.problems] == [
        ("unread-label", True)]
    assert report.unread["staff_post"] == ("commercial_gain", "contradicts_partner_agencies",
                                           "copyright_breach", "partners_or_suppliers",
                                           "personal_reference", "professional_reference",
                                           "religious")


def test_a_reason_for_a_label_a_rule_reads_is_stale(tmp_path: Path) -> None:
    source = (ROOT / "policies" / "mse_icb.yaml").read_text()
    marker = "unread_labels:\n  staff_post:\n"
    assert marker in source
    folder = tmp_path / "p"
    shutil.copytree(ROOT / "policies", folder)
    (folder / "mse_icb.yaml").write_text(
        source.replace(marker, marker + '    political: "no clause"\n'))
    report = coverage_of(folder / "mse_icb.yaml", folder / "cases")
    assert [d.code for d in report.problems] == ["unread-label"]
    assert "reads it" in report.problems[0].message


def test_a_case_file_that_is_not_utf8_is_a_positioned_problem(tmp_path: Path) -> None:
    path, cases = _with_cases(
        tmp_path, b"policy: example_trust\ncases:\n  - {name: caf\xe9, subject: {kind: comment},\n"
        b"     expect: {outcome: leave, cites: ['3.3']}}\n")
    (report,) = sp.check_coverage([path], cases=cases)
    assert [(p.code, p.line, p.column) for p in report.problems] == [("encoding", 3, 15)]
    assert str(cases / "example_trust.yaml") == report.problems[0].file


def test_coverage_reports_the_case_problems_socialpolicy_test_stops_on(tmp_path: Path) -> None:
    path, cases = _with_cases(
        tmp_path, "policy: example_trust\ncases:\n  - {name: x, subject: {kind: comment}}\n"
        "  - {name: y, subject: {kind: comment}, expect: {outcome: leave, cites: ['3.3']}}\n")
    (report,) = sp.check_coverage([path], cases=cases)
    assert [(p.code, p.line) for p in report.problems] == [("missing-field", 3)]
    assert (report.cases, report.encoded_in_cases) == (1, 1)


def test_a_policy_file_that_is_not_utf8_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = write_sixth_policy(tmp_path)
    path.write_bytes(path.read_bytes().replace(b"Example", b"Ex\xe9mple", 1))
    (report,) = sp.check_coverage([path], cases=_empty(tmp_path))
    assert "encoding" in {p.code for p in report.problems}
