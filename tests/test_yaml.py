"""The strict YAML reader refuses what YAML would otherwise guess or execute."""

from socialpolicy._yaml import load


def codes(text: str) -> list[str]:
    return [d.code for d in load(text, "t.yaml")[1]]


def test_plain_values_keep_their_text() -> None:
    doc, problems = load('a: 2024-01-05\nb: yes\nc: no\nd: true\ne: "3.1"\nf: 3\n', "t.yaml")
    assert problems == []
    assert doc is not None
    assert doc.data == {"a": "2024-01-05", "b": "yes", "c": "no", "d": True, "e": "3.1", "f": 3}


def test_tags_are_refused() -> None:
    assert codes("a: !!python/object/apply:os.system [echo hi]\n") == ["yaml-tag"]
    assert codes("a: !!str 3\n") == ["yaml-tag"]


def test_keys_must_be_text() -> None:
    assert codes("? [a, b]\n: 1\n") == ["yaml-key"]


def test_anchors_and_aliases_are_refused() -> None:
    assert codes("a: &x [1]\nb: *x\n") == ["yaml-alias", "yaml-alias"]


def test_duplicate_keys_are_reported_at_the_second() -> None:
    _, problems = load("a: 1\nb:\n  c: 1\n  c: 2\n", "t.yaml")
    assert [(p.code, p.line, p.column) for p in problems] == [("duplicate-key", 4, 3)]
    assert "line 3" in (problems[0].hint or "")


def test_positions_are_kept_per_path() -> None:
    doc, _ = load("rules:\n  - id: x\n    when: {label: spam}\n", "t.yaml")
    assert doc is not None
    assert doc.position(("rules", 0, "when", "label")) == (3, 19)
    assert doc.position(("rules", 0, "missing")) == (2, 5)


def test_syntax_error_does_not_hide_later_problems() -> None:
    text = "items:\n  - a: {b: 1\n  - c: 1\n    c: 2\n"
    doc, problems = load(text, "t.yaml")
    assert [p.code for p in problems] == ["yaml-syntax", "duplicate-key"]
    assert doc is not None and doc.data == {"items": [{"c": 1}]}
