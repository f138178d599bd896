"""`source_file` is a bare file name inside `sources/` beside the policy: a policy file can never
make the library read (or hint at) any other file."""

from __future__ import annotations

from pathlib import Path

import pytest

import socialpolicy as sp

MINI = (Path(__file__).parent / "fixtures" / "mini.yaml").read_text()
SECRET = "This policy applies to employees and contractors. TOP SECRET 12345"


def lint_with_source(tmp_path: Path, name: str) -> list[sp.Diagnostic]:
    policy = tmp_path / "org" / "policy.yaml"
    (tmp_path / "org" / "sources").mkdir(parents=True, exist_ok=True)
    policy.write_text(MINI.replace("names: [", f"source_file: '{name}'\nnames: [", 1))
    return sp.lint([policy])


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


@pytest.mark.parametrize("name", ["{secret}", "../../secret.txt", "../secret.txt",
                                  "sub/doc.txt", "sub\\doc.txt", "..", "~/secret.txt",
                                  "C:secret.txt"])
def test_paths_are_refused_with_a_hint(tmp_path: Path, secret: Path, name: str) -> None:
    found = lint_with_source(tmp_path, name.format(secret=secret))
    assert [(d.code, d.line) for d in found] == [("bad-source-file", 9)]
    assert "bare file name" in found[0].message
    assert "`sources/` beside the policy file" in (found[0].hint or "")
    assert "SECRET" not in str(found[0]) and "characters match" not in str(found[0])


def test_a_symlink_out_of_sources_is_not_followed(tmp_path: Path, secret: Path) -> None:
    (tmp_path / "org" / "sources").mkdir(parents=True)
    (tmp_path / "org" / "sources" / "doc.txt").symlink_to(secret)
    found = lint_with_source(tmp_path, "doc.txt")
    assert [d.code for d in found] == ["missing-source"]
    assert "SECRET" not in str(found[0])


def test_a_source_that_is_not_utf8_text_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "org" / "sources").mkdir(parents=True)
    (tmp_path / "org" / "sources" / "doc.txt").write_bytes(b"\xff\xfe policy \x80")
    found = lint_with_source(tmp_path, "doc.txt")
    assert [d.code for d in found] == ["bad-source-file"]
    assert "UTF-8" in found[0].message


def test_bundled_policies_read_their_sources_from_policies_sources() -> None:
    for policy_id in sp.available_policies():
        document = sp.load_policy(policy_id, engine="reference").document
        assert document.source_file == f"{policy_id}.txt"
