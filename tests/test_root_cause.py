"""Root cause first: each mistake is reported once, and problems that only follow from an
earlier one (a rule citing a clause whose entry failed, a clause left uncited because the rule
citing it could not be read, anything after an indentation slip) are left out."""

from __future__ import annotations

from pathlib import Path

import pytest

import socialpolicy as sp

MINI = (Path(__file__).parent / "fixtures" / "mini.yaml").read_text()


def lint(tmp_path: Path, text: str) -> list[tuple[str, int]]:
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    return [(d.code, d.line) for d in sp.lint([path])]


def test_four_mistakes_give_four_diagnostics_in_file_order(tmp_path: Path) -> None:
    text = (MINI
            # 1. a clause status typo: the rules citing clause 4.2 are not blamed for it
            .replace("text: Spam is hidden., status: encoded}",
                     "text: Spam is hidden., status: encodedd}")
            # 2. a label typo in `when`, repeated in the rule's example: reported once
            .replace("    when: {label: spam}\n", "    when: {label: spamm}\n", 1)
            .replace("      fires: [{labels: [spam]}]\n      does_not_fire: [{labels: "
                     "[advertising]}]", "      fires: [{labels: [spamm]}]\n      "
                     "does_not_fire: [{labels: [advertising]}]", 1)
            # 3. an unknown action
            .replace("{kind: escalate, target: duty_officer}",
                     "{kind: escalat, target: duty_officer}")
            # 4. an indentation slip: the rule is lost, but its clauses are not "uncited"
            .replace("    reason: repeat offenders are banned",
                     "      reason: repeat offenders are banned"))
    assert lint(tmp_path, text) == [("bad-value", 31), ("unknown-label", 53),
                                    ("bad-action", 74), ("yaml-syntax", 86)]


@pytest.mark.parametrize("line", range(2, 99))
def test_an_indentation_slip_at_the_top_is_reported_once(tmp_path: Path, line: int) -> None:
    lines = MINI.splitlines(keepends=True)
    if not lines[line - 1].strip() or lines[line - 1].startswith(" "):
        return  # only top-level keys here; nested slips can be valid YAML of another shape
    lines[line - 1] = " " + lines[line - 1]
    found = lint(tmp_path, "".join(lines))
    assert [code for code, _ in found] == ["yaml-syntax"], found


def test_an_unclosed_brace_is_reported_once(tmp_path: Path) -> None:
    text = MINI.replace("    when: {label: spam}\n", "    when: {label: spam\n", 1)
    assert [code for code, _ in lint(tmp_path, text)] == ["yaml-syntax"]


def test_a_clause_without_an_id_does_not_make_its_citations_unknown(tmp_path: Path) -> None:
    text = MINI.replace('- {id: "4.2", title: Spam,', "- {title: Spam,")
    assert lint(tmp_path, text) == [("missing-field", 31)]


def test_a_genuine_unknown_clause_is_still_reported(tmp_path: Path) -> None:
    text = MINI.replace('cites: ["4.2"]\n    reason: spam is hidden',
                        'cites: ["4.9"]\n    reason: spam is hidden')
    assert lint(tmp_path, text) == [("unknown-clause", 55)]
