"""Every command that takes policies reads ids, files and folders by one rule.

`.yaml` and `.yml` both count; a folder with no policy file is an error naming it, with a hint,
never a run that checks nothing; a bundled id is that policy wherever a path would do, even
where the working folder holds a folder of the same name.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from socialpolicy.cli._io import expand_policies
from socialpolicy.errors import UnknownPolicyError

from .conftest import FIXTURES
from .conftest import run_cli as run

#: Each command with the options that keep it quick, and what its output says about mini.
COMMANDS = {
    "lint": [],
    "test": ["--engine", "reference"],
    "policies": [],
    "coverage": [],
    "compare": [],
}


@pytest.fixture
def ymls(tmp_path: Path) -> Path:
    folder = tmp_path / "ymls"
    folder.mkdir()
    shutil.copy(FIXTURES / "mini.yaml", folder / "mini.yml")
    (folder / "notes.txt").write_text("not a policy")
    return folder


def test_a_folder_stands_for_its_yaml_and_yml_files(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "mini.yaml", tmp_path / "a.yaml")
    shutil.copy(FIXTURES / "mini.yaml", tmp_path / "b.yml")
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "c.yaml").write_text("policy: a\ncases: []\n")
    (tmp_path / "notes.txt").write_text("not a policy")
    assert expand_policies([str(tmp_path), "mhra"]) == [
        str(tmp_path / "a.yaml"), str(tmp_path / "b.yml"), "mhra"]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_yml_policy_in_a_folder_is_read(command: str, ymls: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([command, str(ymls), *COMMANDS[command]], capsys)
    assert code in (0, 3), err  # coverage finds mini has no source document: still it ran
    if command == "lint":
        assert code == 0 and "0 problems in 1 file" in err
    elif command == "test":
        assert code == 0 and "mini_council" in out and out.rstrip().endswith(" passed, 0 failed")
        assert not out.rstrip().startswith("0 passed")
    else:
        assert "mini_council" in out + err


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("content", [None, "notes.txt"])
def test_a_folder_without_policies_is_an_error_naming_it(
        command: str, content: str | None, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "nothing_here"
    folder.mkdir()
    if content:
        (folder / content).write_text("not a policy")
    code, out, err = run([command, str(folder), *COMMANDS[command]], capsys)
    assert code == 2 and out == ""
    assert f"no policy files (`*.yaml`, `*.yml`) directly in folder `{folder}`" in err
    assert "hint: name a folder that holds policy files, a policy file, or a bundled id" in err


@pytest.mark.parametrize("command", COMMANDS)
def test_a_bundled_id_works_even_beside_a_folder_of_that_name(
        command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mhra").mkdir()  # empty: were it read as a folder, the command would fail
    code, out, err = run([command, "mhra", *COMMANDS[command]], capsys)
    assert code in (0, 3), err
    assert "no policy files" not in err
    if command == "lint":
        assert "0 problems in 1 file" in err
    elif command == "test":
        assert code == 0 and out.rstrip().endswith(" passed, 0 failed")
    else:
        assert "mhra" in out


def test_the_expansion_raises_the_librarys_own_error(tmp_path: Path) -> None:
    with pytest.raises(UnknownPolicyError, match="directly in folder"):
        expand_policies([str(tmp_path)])
