"""A malformed policy fails to load with every problem listed at its line, code and hint."""

from __future__ import annotations

from pathlib import Path

import pytest

import socialpolicy as sp

FIXTURES = Path(__file__).parent / "fixtures"
MINI = (FIXTURES / "mini.yaml").read_text()


def problems(text: str, tmp_path: Path) -> list[sp.Diagnostic]:
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    return sp.lint([path])


def test_broken_policy_reports_every_problem_at_its_line() -> None:
    with pytest.raises(sp.PolicyError) as caught:
        sp.load_policy(FIXTURES / "broken.yaml")
    found = [(d.code, d.line) for d in caught.value.diagnostics]
    assert found == [
        ("unknown-field", 6),      # `colour`
        ("unknown-label", 18),     # `targted_abuse`
        ("unknown-clause", 20),    # cites "1.2"
        ("duplicate-key", 31),     # second `reason`
        ("yaml-syntax", 38),       # unclosed flow mapping
    ]
    hints = {d.code: d.hint for d in caught.value.diagnostics}
    assert hints["unknown-label"] == "did you mean `targeted_abuse`?"
    assert hints["unknown-clause"] == "did you mean `1.1`?"
    assert "broken.yaml:18:19: error[unknown-label]" in str(caught.value)


def test_policy_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        sp.load_policy(FIXTURES / "broken.yaml")


def test_fixture_policy_is_clean() -> None:
    assert sp.lint([FIXTURES / "mini.yaml"]) == []


@pytest.mark.parametrize(("old", "new", "code"), [
    ('version: "2.0"', "version: 2.0", "bad-type"),
    ("id: mini_council", "id: Mini-Council", "bad-id"),
    ('- {id: "4.2",', '- {id: "4.1",', "duplicate-id"),
    ("status: not_encodable, reason: training records are not part of a post}",
     "status: not_encodable}", "missing-reason"),
    ("status: not_encodable,", "status: unencodable,", "bad-value"),
    ("outcome: breach", "outcome: delete", "bad-outcome"),
    ("{kind: ban_author}", "{kind: ban}", "bad-action"),
    ("target: duty_officer", "detail: nobody", "missing-target"),
    ("{fact: out_of_hours}", "{fact: after_hours}", "unknown-fact"),
    ("{field: author_prior_removals, ge: 2}", "{field: author_prior_removals, ge: \"2\"}",
     "bad-value"),
    ("{field: author_prior_removals, ge: 2}", "{field: author_prior_removals, present: true}",
     "bad-operator"),
    ("{field: channel, in: [comment, reply, direct_message]}", "{field: chanel, eq: reply}",
     "unknown-field"),
    ("when: {label: spam}", "when: {label: spam, fact: out_of_hours}", "condition-shape"),
    ("cites: [\"4.2\"]\n    reason: spam is hidden", "cites: []\n    reason: spam is hidden",
     "missing-citation"),
    ("does_not_fire: [{labels: [advertising]}]", "does_not_fire: []", "missing-examples"),
    ("does_not_fire: [{labels: [advertising]}]", "does_not_fire: [{labels: [spam]}]",
     "example-mismatch"),
    ("does_not_fire: [{labels: [advertising]}]", "does_not_fire: [{labels: [spamm]}]",
     "bad-example"),
    ("status: not_encodable, reason: training records are not part of a post}",
     "status: encoded}", "uncited-clause"),
    ("title: Spam, text: Spam is hidden., status: encoded",
     "title: Spam, text: Spam is hidden., status: out_of_scope, reason: x", "cites-unencoded"),
    ("  account_request:\n    not_covered: the policy says nothing about opening accounts\n", "",
     None),
    ("  staff_post:\n    default:", "  staff_post:\n    not_covered: nothing\n    default:",
     "not-covered-conflict"),
    ("start: \"09:00\"", "start: \"9am\"", "bad-value"),
    ("timezone: Europe/London", "timezone: Europe/Londres", "bad-value"),
    ("applies_to: staff_post", "applies_to: staff_posts", "bad-value"),
    ("if_unavailable: {outcome: hide,", "if_unavailable: {outcome: breach,", "bad-outcome"),
    ("    outcome: breach\n", "    outcome: breach\n    if_unavailable: {outcome: advisory}\n",
     "bad-fallback"),
    ('    default: {outcome: leave, cites: ["4.3"], reason: other comments are left up}\n',
     "    scope: {when: {label: spam}, cites: [\"4.3\"], outside: spam only}\n",
     "missing-default"),
    ("working_hours:\n  timezone: Europe/London\n", "working_hourz:\n  timezone: Europe/London\n",
     "needs-working-hours"),
    ("{field: author_prior_removals, ge: 2}",
     "{field: author_prior_removals, in: [" + ", ".join(map(str, range(2, 602))) + "]}",
     "durable-limit"),
    ("names: [", "source_file: ../secret.txt\nnames: [", "bad-source-file"),
])
def test_each_problem_has_a_stable_code(tmp_path: Path, old: str, new: str,
                                        code: str | None) -> None:
    assert old in MINI, old
    found = problems(MINI.replace(old, new, 1), tmp_path)
    if code is None:  # a kind may be left out entirely: it is then not covered
        assert found == []
        return
    assert code in [d.code for d in found], found
    for diagnostic in found:
        assert diagnostic.line > 0 and diagnostic.column > 0 and diagnostic.hint


SPAM_RULE = """  - id: spam-hide
    applies_to: comment
    when: {label: spam}
"""


@pytest.mark.parametrize("when", [
    "{all: [{label: spam}, {not: {label: spam}}]}",
    "{all: [{field: platform, eq: x}, {field: platform, in: [facebook, youtube]}]}",
    "{all: [{field: author_prior_removals, ge: 3}, {field: author_prior_removals, lt: 2}]}",
    "{all: [{field: channel, ne: comment}, {field: channel, ne: reply}, "
    "{field: channel, ne: direct_message}, {field: channel, ne: mention}]}",
])
def test_contradictory_rule_is_unreachable(tmp_path: Path, when: str) -> None:
    text = MINI.replace(SPAM_RULE, SPAM_RULE.replace("{label: spam}", when))
    found = problems(text, tmp_path)
    unreachable = [d for d in found if d.code == "unreachable-rule"]
    assert len(unreachable) == 1
    assert "`spam-hide` can never fire" in unreachable[0].message
    assert unreachable[0].line == 53  # the rule's `when`


def test_rule_outside_the_scope_is_unreachable(tmp_path: Path) -> None:
    text = MINI.replace("{fact: handle_names_org}, {not:",
                        "{fact: handle_names_org}, {field: author.employment, eq: volunteer}, "
                        "{not:")
    found = [d for d in problems(text, tmp_path) if d.code == "unreachable-rule"]
    assert [d.message for d in found] == [
        "rule `handle-names-council` can never fire: its conditions contradict each other or "
        "the kind's scope"]


def test_rule_covered_by_a_stronger_rule_is_shadowed(tmp_path: Path) -> None:
    narrow = """  - id: spam-on-x
    applies_to: comment
    when: {all: [{label: spam}, {field: platform, eq: x}]}
    outcome: leave
    cites: ["4.2"]
    reason: spam on x
    examples:
      fires: [{labels: [spam], platform: x}]
      does_not_fire: [{labels: [spam]}]
"""
    found = problems(MINI.replace(SPAM_RULE, narrow + SPAM_RULE), tmp_path)
    assert [(d.code, d.line) for d in found] == [("shadowed-rule", 53)]
    assert "`spam-on-x` is shadowed by `spam-hide`" in found[0].message
    # Saying something more (another clause) is not shadowing.
    louder = narrow.replace('cites: ["4.2"]', 'cites: ["4.2", "4.3"]')
    assert problems(MINI.replace(SPAM_RULE, louder + SPAM_RULE), tmp_path) == []


def test_identical_rules_report_only_the_later_one(tmp_path: Path) -> None:
    copy = SPAM_RULE.replace("spam-hide", "spam-hide-again") + """    outcome: hide
    cites: ["4.2"]
    reason: spam is hidden
    examples:
      fires: [{labels: [spam]}]
      does_not_fire: [{labels: [advertising]}]
"""
    found = problems(MINI.replace("  - id: reply-in-two-days", copy + "  - id: reply-in-two-days"),
                     tmp_path)
    assert [d.message.split(":")[0] for d in found] == [
        "rule `spam-hide-again` is shadowed by `spam-hide`"]


def test_verbatim_text_is_checked_against_the_source(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "doc.txt").write_text(
        "4.1 Abusive   comments are deleted where possible.\n4.2 Spam is hidden. Other "
        "comments are left. We reply within two working days. Urgent risks out of hours go to "
        "the duty officer. Authors removed twice are banned. Staff act with courtesy. "
        "Personal handles must not carry the council\u2019s name. Staff complete training "
        "yearly. This policy applies to employees and contractors.")
    text = MINI.replace("names: [", "source_file: doc.txt\nnames: [", 1)
    assert problems(text, tmp_path) == []
    changed = text.replace("Spam is hidden.", "Spam gets hidden.")
    found = problems(changed, tmp_path)
    assert [d.code for d in found] == ["not-verbatim"]
    assert "diverges at `gets hidden.`" in (found[0].hint or "")
    missing = text.replace("source_file: doc.txt", "source_file: nope.txt")
    assert [d.code for d in problems(missing, tmp_path)] == ["missing-source"]


def test_unknown_policy_id_suggests_the_closest() -> None:
    with pytest.raises(sp.UnknownPolicyError, match="did you mean `mhra`"):
        sp.load_policy("mhrb")
