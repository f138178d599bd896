"""Every "did you mean" hint in the library comes from one helper and reads the same way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import socialpolicy as sp
from socialpolicy.vocab import did_you_mean

SOURCE = Path(sp.__file__).parent
MINI = (Path(__file__).parent / "fixtures" / "mini.yaml").read_text()


def test_the_helper_names_the_closest_spelling() -> None:
    assert did_you_mean("targted_abuse", ["spam", "targeted_abuse"]) == \
        "did you mean `targeted_abuse`?"


def test_the_helper_gives_none_when_nothing_is_close_so_callers_add_their_own() -> None:
    assert did_you_mean("zzzz", ["spam", "targeted_abuse"]) is None
    assert did_you_mean("spam", []) is None
    assert (did_you_mean("zzzz", ["spam"]) or "use spam") == "use spam"


def test_the_helper_takes_any_value_a_yaml_file_can_hold() -> None:
    assert did_you_mean(None, ["none", "spam"]) == "did you mean `none`?"
    assert did_you_mean(12, ["1.2", "4.1"]) == "did you mean `1.2`?"


def test_no_module_words_its_own_did_you_mean() -> None:
    """A new message cannot drift: the hint's wording lives in `vocab` alone."""
    spelled = [f"{path.relative_to(SOURCE)}:{n}"
               for path in sorted(SOURCE.rglob("*.py")) if path.name != "vocab.py"
               for n, line in enumerate(path.read_text().splitlines(), 1)
               if re.search(r"did you mean `", line) or re.search(r"\bclosest\(", line)]
    assert spelled == []


@pytest.mark.parametrize(("old", "new", "hint"), [
    ("holidays: ENG", "holidays: EGN", "did you mean `ENG`?"),
    ("reason: training records are not part of a post}",
     "reason: training records are not part of a post, role: procedurl}",
     "did you mean `procedural`?"),
    ("{kind: contact_author, detail: explain the removal}",
     "{kind: contact_autor, detail: explain the removal}", "did you mean `contact_author`?"),
    ("applies_to: comment\n    when: {label: spam}",
     "applies_to: coment\n    when: {label: spam}", "did you mean `comment`?"),
    ("{field: channel, in: [comment, reply, direct_message]}",
     "{field: chanel, in: [comment, reply, direct_message]}", "did you mean `channel`?"),
    ("{field: channel, in: [comment, reply, direct_message]}",
     "{field: channel, in: [comment, reply, direct_mesage]}", "did you mean `direct_message`?"),
    ("when: {label: spam}", "when: {label: spam, nott: 1}", "did you mean `not`?"),
    ("{fact: out_of_hours}", "{fact: out_of_hour}", "did you mean `out_of_hours`?"),
    ("outcome: hide\n    cites", "outcome: hid\n    cites", "did you mean `hide`?"),
    ("status: not_encodable,", "status: not_encodeable,", "did you mean `not_encodable`?"),
])
def test_checker_hints_name_the_closest_spelling(old: str, new: str, hint: str,
                                                 tmp_path: Path) -> None:
    assert MINI.count(old) == 1
    path = tmp_path / "policy.yaml"
    path.write_text(MINI.replace(old, new))
    assert hint in [d.hint for d in sp.lint([path])]
